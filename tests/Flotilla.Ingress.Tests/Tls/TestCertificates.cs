using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s.Models;

namespace Flotilla.Ingress.Tests.Tls;

/// <summary>Self-signed certificates for a host, as <c>kubernetes.io/tls</c> Secrets hold them (PEM).</summary>
internal static class TestCertificates
{
    public static (string Certificate, string Key) Pem(string host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    public static V1Secret Secret(string name, string host, string version = "1")
    {
        var (certificate, key) = Pem(host);
        return new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = name + "-uid", ResourceVersion = version },
            Type = "kubernetes.io/tls",
            Data = new Dictionary<string, byte[]> { ["tls.crt"] = Encoding.UTF8.GetBytes(certificate), ["tls.key"] = Encoding.UTF8.GetBytes(key) },
        };
    }
}
