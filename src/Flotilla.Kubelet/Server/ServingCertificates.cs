using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Flotilla.Api.Certificates;

namespace Flotilla.Kubelet.Server;

/// <summary>
/// The certificate a kubelet serves when none is given (upstream's default: self-signed, for the node's names and
/// addresses). An API server that checks kubelets against a CA refuses it; give the agent one signed by that CA.
/// </summary>
public static class ServingCertificates
{
    public static X509Certificate2 SelfSigned(IEnumerable<string> names, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(time);
        var all = names.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var now = time.GetUtcNow();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={all.FirstOrDefault(n => !IPAddress.TryParse(n, out _)) ?? "kubelet"}@{now.ToUnixTimeSeconds()}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(SubjectAlternativeNames.Build(all));
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));
    }
}
