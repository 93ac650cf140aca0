using System.Security.Cryptography.X509Certificates;

namespace Flotilla.Api.Certificates;

/// <summary>
/// x509 client certificates as Kubernetes reads them (the API server, and a kubelet authenticating the API server):
/// signed by the trusted CA, valid now, for client authentication; the user is the CN, the groups the O values.
/// </summary>
public static class ClientCertificates
{
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    /// <summary>The user and groups (<c>system:authenticated</c> added), or null with the reason the certificate is refused.</summary>
    public static (string? User, IReadOnlyList<string> Groups, string? Error) Verify(X509Certificate2 certificate, X509Certificate2 ca, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(ca);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(ClientAuth));
        if (!chain.Build(certificate))
        {
            var reasons = string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0));
            return (null, [], $"verifying certificate: {reasons}");
        }

        var name = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        if (string.IsNullOrEmpty(name))
        {
            return (null, [], "the certificate has no common name");
        }

        var groups = certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(rdn => rdn.GetSingleElementType().Value == "2.5.4.10")
            .Select(rdn => rdn.GetSingleElementValue() ?? string.Empty)
            .Where(g => g.Length > 0)
            .Append("system:authenticated")
            .ToList();
        return (name, groups, null);
    }
}
