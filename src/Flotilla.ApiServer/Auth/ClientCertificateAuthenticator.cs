using System.Security.Cryptography.X509Certificates;

namespace Flotilla.ApiServer.Auth;

/// <summary>
/// x509 client certificates as kube-apiserver reads them: signed by the cluster CA, valid now, for client
/// authentication; the user is the CN, the groups the O values. A verified certificate is remembered (by its
/// thumbprint, until it expires, at most a minute) so a connection's requests do not rebuild its chain each time.
/// </summary>
public sealed class ClientCertificateAuthenticator(X509Certificate2 ca, TimeProvider time)
{
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    private const int MaxRemembered = 10_000;
    private static readonly TimeSpan Remember = TimeSpan.FromMinutes(1);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (UserInfo User, DateTimeOffset Until)> _verified = new(StringComparer.Ordinal);

    /// <summary>The user, or null with the reason the certificate is refused.</summary>
    public (UserInfo? User, string? Error) Authenticate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var now = time.GetUtcNow();
        if (_verified.TryGetValue(certificate.Thumbprint, out var known) && known.Until > now)
        {
            return (known.User, null);
        }

        var (user, error) = Verify(certificate);
        if (user is not null)
        {
            if (_verified.Count >= MaxRemembered)
            {
                _verified.Clear();
            }

            var until = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            _verified[certificate.Thumbprint] = (user, until < now + Remember ? until : now + Remember);
        }

        return (user, error);
    }

    private (UserInfo? User, string? Error) Verify(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = time.GetUtcNow().UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(ClientAuth));
        if (!chain.Build(certificate))
        {
            var reasons = string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0));
            return (null, $"verifying certificate: {reasons}");
        }

        var name = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        if (string.IsNullOrEmpty(name))
        {
            return (null, "the certificate has no common name");
        }

        var groups = certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(rdn => rdn.GetSingleElementType().Value == "2.5.4.10")
            .Select(rdn => rdn.GetSingleElementValue() ?? string.Empty)
            .Where(g => g.Length > 0)
            .Append("system:authenticated")
            .ToList();
        return (new UserInfo(name, groups), null);
    }
}
