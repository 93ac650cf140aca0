using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

public sealed class IngressClassDefaultsTests
{
    [Theory]
    [InlineData("""{"controller":"example.com/c","parameters":{"kind":"Params","name":"p"}}""", "Cluster")]
    [InlineData("""{"controller":"example.com/c","parameters":{"kind":"Params","name":"p","scope":"Namespace","namespace":"ns"}}""", "Namespace")]
    [InlineData("""{"controller":"example.com/c"}""", null)]
    public void Apply_Parameters_ClusterScopeByDefault(string spec, string? expected)
    {
        var ingressClass = Defaulted.SpecJson<V1IngressClass>(spec);

        Assert.Equal(expected, (string?)ingressClass.At("spec.parameters.scope"));
    }
}
