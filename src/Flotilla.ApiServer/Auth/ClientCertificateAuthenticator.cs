using System.Security.Cryptography.X509Certificates;

namespace Flotilla.ApiServer.Auth;

/// <summary>
/// x509 client certificates as kube-apiserver reads them: signed by the cluster CA, valid now, for client
/// authentication; the user is the CN, the groups the O values. A verified certificate is remembered (by its
/// thumbprint, until it expires, at most a minute) so a connection's requests do not rebuild its chain each time.
/// </summary>
public sealed class ClientCertificateAuthenticator(X509Certificate2 ca, TimeProvider time)
{
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
        var (name, groups, error) = Api.Certificates.ClientCertificates.Verify(certificate, ca, time.GetUtcNow());
        return name is null ? (null, error) : (new UserInfo(name, groups), null);
    }
}
