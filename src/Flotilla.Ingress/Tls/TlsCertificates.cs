using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s.Models;

namespace Flotilla.Ingress.Tls;

/// <summary>
/// The serving certificates of this controller's Ingresses (<c>spec.tls</c>: hosts and a <c>kubernetes.io/tls</c>
/// Secret in the Ingress's namespace), chosen by the TLS server name: that exact host, else a <c>*.</c> host one label
/// up; the oldest Ingress wins a host. Certificates are parsed once per Secret version.
/// </summary>
public sealed class TlsCertificates
{
    private readonly Dictionary<string, X509Certificate2> _hosts;

    private TlsCertificates(Dictionary<string, X509Certificate2> hosts) => _hosts = hosts;

    /// <param name="ingresses">This controller's Ingresses, oldest first.</param>
    /// <param name="secret">A Secret by namespace and name, or null.</param>
    /// <param name="cache">Certificates already parsed, by Secret uid and resourceVersion; left holding only the ones in use.</param>
    /// <param name="invalid">Told of each Secret that is missing or holds no usable certificate and key.</param>
    public static TlsCertificates Build(IEnumerable<V1Ingress> ingresses, Func<string, string, V1Secret?> secret, Dictionary<string, X509Certificate2> cache, Action<string, string> invalid)
    {
        ArgumentNullException.ThrowIfNull(ingresses);
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(invalid);
        var hosts = new Dictionary<string, X509Certificate2>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ingress in ingresses)
        {
            var ns = ingress.Metadata.NamespaceProperty ?? "default";
            foreach (var tls in ingress.Spec?.Tls ?? [])
            {
                if (string.IsNullOrEmpty(tls.SecretName) || tls.Hosts is not { Count: > 0 })
                {
                    continue;
                }

                var found = secret(ns, tls.SecretName);
                var certificate = found is null ? null : Parse(found, cache, used);
                if (certificate is null)
                {
                    invalid($"{ns}/{tls.SecretName}", found is null ? "not found" : "no usable tls.crt and tls.key");
                    continue;
                }

                foreach (var host in tls.Hosts.Select(h => h.ToLowerInvariant()))
                {
                    hosts.TryAdd(host, certificate);
                }
            }
        }

        foreach (var stale in cache.Keys.Where(k => !used.Contains(k)).ToList())
        {
            cache.Remove(stale);
        }

        return new TlsCertificates(hosts);
    }

    /// <summary>The certificate for <paramref name="serverName"/> (SNI), or null.</summary>
    public X509Certificate2? For(string? serverName)
    {
        if (string.IsNullOrEmpty(serverName))
        {
            return null;
        }

        serverName = serverName.ToLowerInvariant();
        var dot = serverName.IndexOf('.', StringComparison.Ordinal);
        return _hosts.GetValueOrDefault(serverName) ?? (dot > 0 ? _hosts.GetValueOrDefault("*" + serverName[dot..]) : null);
    }

    /// <summary>The certificate served when no Ingress has one for the name asked (ingress-nginx's "Fake Certificate").</summary>
    public static X509Certificate2 SelfSigned(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Flotilla Ingress Controller Fake Certificate, O=Flotilla", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("ingress.local");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = time.GetUtcNow();
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));
    }

    private static X509Certificate2? Parse(V1Secret secret, Dictionary<string, X509Certificate2> cache, HashSet<string> used)
    {
        var key = $"{secret.Metadata.Uid}/{secret.Metadata.ResourceVersion}";
        used.Add(key);
        if (cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        if (secret.Data?.TryGetValue("tls.crt", out var crt) != true || secret.Data?.TryGetValue("tls.key", out var pem) != true)
        {
            return null;
        }

        try
        {
            var certificate = X509Certificate2.CreateFromPem(Encoding.UTF8.GetString(crt!), Encoding.UTF8.GetString(pem!));
            cache[key] = certificate;
            return certificate;
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
