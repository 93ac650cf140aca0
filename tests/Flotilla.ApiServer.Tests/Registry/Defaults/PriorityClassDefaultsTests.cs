using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

public sealed class PriorityClassDefaultsTests
{
    [Theory]
    [InlineData("""{"value":1000}""", "PreemptLowerPriority")]
    [InlineData("""{"value":1000,"preemptionPolicy":"Never"}""", "Never")]
    public void Apply_PriorityClass_PreemptsLowerPriorityByDefault(string manifest, string expected)
    {
        var priorityClass = Defaulted.Object<V1PriorityClass>(manifest);

        Assert.Equal(expected, priorityClass.PreemptionPolicy);
    }
}
