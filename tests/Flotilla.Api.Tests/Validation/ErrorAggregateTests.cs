using Flotilla.Api.Validation;

namespace Flotilla.Api.Tests.Validation;

public sealed class ErrorAggregateTests
{
    [Fact]
    public void Message_OneOrMany_UpstreamFormat()
    {
        var a = FieldError.Invalid("a", "x", "bad");
        var b = FieldError.Required("b");

        Assert.Equal("a: Invalid value: \"x\": bad", ErrorAggregate.Message([a]));
        Assert.Equal("a: Invalid value: \"x\": bad", ErrorAggregate.Message([a, a]));
        Assert.Equal("[a: Invalid value: \"x\": bad, b: Required value]", ErrorAggregate.Message([a, b, a]));
    }
}
