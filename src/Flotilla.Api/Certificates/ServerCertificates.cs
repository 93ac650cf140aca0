using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Flotilla.Api.Certificates;

/// <summary>
/// A TLS server's certificate as Go's clients check it against a CA bundle of their own (kubectl, client-go, the API
/// server dialling kubelets): it chains to one of those CAs, and names the host or address dialled.
/// </summary>
public static class ServerCertificates
{
    /// <summary>For <see cref="RemoteCertificateValidationCallback"/>: the name check is the TLS stack's, the chain is built here.</summary>
    public static bool Trusted(X509Certificate? presented, X509Certificate2Collection cas, SslPolicyErrors errors)
    {
        ArgumentNullException.ThrowIfNull(cas);
        if (presented is not X509Certificate2 certificate || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || cas.Count == 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(cas);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
