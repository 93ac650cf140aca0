using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

public sealed class SecretDefaultsTests
{
    [Theory]
    [InlineData("""{"data":{"a":"YQ=="}}""", "Opaque")]
    [InlineData("""{"type":""}""", "Opaque")]
    [InlineData("""{"type":"kubernetes.io/tls"}""", "kubernetes.io/tls")]
    public void Apply_Type_OpaqueByDefault(string manifest, string expected)
    {
        var secret = Defaulted.Object<V1Secret>(manifest);

        Assert.Equal(expected, secret.Type);
    }
}
