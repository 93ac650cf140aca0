using System.Security.Cryptography.X509Certificates;

namespace Flotilla.Kubelet.Server;

/// <summary>
/// The certificate a kubelet API serves, replaceable while it runs: a joined agent starts with a self-signed one and
/// swaps in the cluster-signed one once its serving CertificateSigningRequest is issued (kubelet's serverTLSBootstrap).
/// </summary>
public sealed class ServingCertificate(X509Certificate2 initial)
{
    private volatile X509Certificate2 _current = initial;

    public X509Certificate2 Current
    {
        get => _current;
        set => _current = value ?? throw new ArgumentNullException(nameof(value));
    }

    public static implicit operator ServingCertificate(X509Certificate2 certificate) => new(certificate);

    public static ServingCertificate FromX509Certificate2(X509Certificate2 certificate) => new(certificate);
}
