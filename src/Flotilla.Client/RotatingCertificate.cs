using System.Security.Cryptography.X509Certificates;

namespace Flotilla.Client;

/// <summary>
/// A certificate replaced while in use (renewed before it ends): whoever presents it takes <see cref="Current"/> at each
/// TLS handshake, a kubelet serving its API as a client dialling the API server.
/// </summary>
public sealed class RotatingCertificate(X509Certificate2 initial)
{
    private volatile X509Certificate2 _current = initial ?? throw new ArgumentNullException(nameof(initial));

    public X509Certificate2 Current
    {
        get => _current;
        set => _current = value ?? throw new ArgumentNullException(nameof(value));
    }

    public static implicit operator RotatingCertificate(X509Certificate2 certificate) => new(certificate);

    public static RotatingCertificate FromX509Certificate2(X509Certificate2 certificate) => new(certificate);
}
