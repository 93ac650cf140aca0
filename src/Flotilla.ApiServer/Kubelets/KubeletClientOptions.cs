using System.Security.Cryptography.X509Certificates;

namespace Flotilla.ApiServer.Kubelets;

/// <summary>How the API server reaches kubelets (upstream's --kubelet-* flags).</summary>
/// <param name="ClientCertificate">Who the API server is to kubelets (<c>--kubelet-client-certificate</c>); null presents none.</param>
/// <param name="CertificateAuthority">Verifies kubelets' serving certificates (<c>--kubelet-certificate-authority</c>); null verifies nothing, as upstream without the flag.</param>
public sealed record KubeletClientOptions(X509Certificate2? ClientCertificate, X509Certificate2? CertificateAuthority)
{
    /// <summary>
    /// <c>--kubelet-preferred-address-types</c>, as kubeadm and k3s set it: upstream's default puts Hostname first,
    /// which needs every node name in DNS.
    /// </summary>
    public IReadOnlyList<string> PreferredAddressTypes { get; init; } = ["InternalIP", "ExternalIP", "Hostname", "InternalDNS", "ExternalDNS"];

    /// <summary><c>--kubelet-timeout</c>: for connecting and for the answer's headers (a followed log streams on).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Used when a Node reports no kubelet port (<c>--kubelet-port</c>).</summary>
    public int DefaultPort { get; init; } = 10250;
}
