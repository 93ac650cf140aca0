using Flotilla.Api.Defaults;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

public sealed class ResourceListDefaultsTests
{
    [Theory]
    [InlineData("100m", "100m")]
    [InlineData("1", "1")]
    [InlineData("1.5", "1500m")]
    [InlineData("0.0001", "1m")]
    [InlineData("100u", "1m")]
    [InlineData("1500u", "2m")]
    [InlineData("1n", "1m")]
    [InlineData("1.0001", "1001m")]
    [InlineData("1Gi", "1Gi")]
    [InlineData("0.5Ki", "512")]
    [InlineData("0", "0")]
    public void RoundUpToMilli_Quantity_MilliPrecision(string given, string expected)
    {
        var list = new Dictionary<string, ResourceQuantity> { ["r"] = new(given) };

        ResourceListDefaults.RoundUpToMilli(list);

        Assert.Equal(expected, list["r"].ToString());
    }

    [Fact]
    public void RoundUpToMilli_Null_NoOp() => ResourceListDefaults.RoundUpToMilli((IDictionary<string, ResourceQuantity>?)null);
}
