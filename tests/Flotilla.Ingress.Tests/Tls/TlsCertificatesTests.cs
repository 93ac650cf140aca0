using System.Security.Cryptography.X509Certificates;
using Flotilla.Ingress.Tls;
using k8s.Models;

namespace Flotilla.Ingress.Tests.Tls;

public sealed class TlsCertificatesTests
{
    [Fact]
    public void HostsGetTheirSecretsCertificate_WildcardsOneLabelUp_OldestIngressFirst_BadSecretsReported()
    {
        var secrets = new Dictionary<string, V1Secret>
        {
            ["a-tls"] = TestCertificates.Secret("a-tls", "a.example.test"),
            ["wild-tls"] = TestCertificates.Secret("wild-tls", "*.example.test"),
            ["other-tls"] = TestCertificates.Secret("other-tls", "other"),
            ["broken"] = new V1Secret { Metadata = new V1ObjectMeta { Name = "broken", Uid = "b", ResourceVersion = "1" }, Type = "kubernetes.io/tls", Data = new Dictionary<string, byte[]> { ["tls.crt"] = [1, 2] } },
        };
        var older = Ingress(1, ("a-tls", ["a.example.test"]), ("wild-tls", ["*.example.test"]), ("broken", ["broken.test"]), ("missing", ["missing.test"]));
        var newer = Ingress(2, ("other-tls", ["a.example.test"]));
        var cache = new Dictionary<string, X509Certificate2>();
        var bad = new List<string>();

        var certificates = TlsCertificates.Build([older, newer], (_, name) => secrets.GetValueOrDefault(name), cache, (secret, why) => bad.Add($"{secret}: {why}"));

        Assert.Equal("CN=a.example.test", certificates.For("A.example.test")?.Subject);
        Assert.Equal("CN=*.example.test", certificates.For("b.example.test")?.Subject);
        Assert.Null(certificates.For("c.b.example.test"));
        Assert.Null(certificates.For(null));
        Assert.Equal(["default/broken: no usable tls.crt and tls.key", "default/missing: not found"], bad);

        // Parsed once per Secret version; versions no longer used leave the cache.
        var again = TlsCertificates.Build([older], (_, name) => secrets.GetValueOrDefault(name), cache, (_, _) => { });
        Assert.Same(certificates.For("a.example.test"), again.For("a.example.test"));
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void TheFallbackCertificate_IsSelfSignedForIngressLocal()
    {
        using var fallback = TlsCertificates.SelfSigned(TimeProvider.System);

        Assert.Equal("CN=Flotilla Ingress Controller Fake Certificate, O=Flotilla", fallback.Subject);
        Assert.True(fallback.HasPrivateKey);
    }

    private static V1Ingress Ingress(int minute, params (string Secret, string[] Hosts)[] tls) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"i{minute}", NamespaceProperty = "default", CreationTimestamp = new DateTime(2026, 12, 1, 0, minute, 0, DateTimeKind.Utc) },
        Spec = new V1IngressSpec { Tls = [.. tls.Select(t => new V1IngressTLS { SecretName = t.Secret, Hosts = t.Hosts })] },
    };
}
