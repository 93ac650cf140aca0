using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Flotilla.Api.Certificates;
using Flotilla.Api.Errors;
using Flotilla.ApiServer.Registry;
using k8s.Models;

namespace Flotilla.ApiServer.Kubelets;

/// <summary>
/// The API server's way to kubelets (upstream's NodeConnectionInfoGetter and kubelet transport): a Node's preferred
/// address and its <c>daemonEndpoints.kubeletEndpoint.port</c>, over HTTPS with the API server's kubelet client
/// certificate; the kubelet's certificate is checked against the configured CA unless the request says
/// <c>insecureSkipTLSVerifyBackend</c>.
/// </summary>
public sealed class KubeletConnections : IDisposable
{
    private readonly KubeletClientOptions _options;
    private readonly HttpClient _verified;
    private readonly HttpClient _insecure;

    public KubeletConnections(KubeletClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _verified = Client(options, options.CertificateAuthority is { } ca ? (_, cert, _, errors) => ServerCertificates.Trusted(cert, [ca], errors) : (_, _, _, _) => true);
        _insecure = Client(options, (_, _, _, _) => true);
    }

    /// <summary>The base address of a node's kubelet; throws the Status the user sees when it has none.</summary>
    public async Task<Uri> LocationAsync(ResourceRegistry registry, string nodeName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var nodes = registry.Find(string.Empty, "v1", "nodes")!;
        var node = (V1Node)(await nodes.GetAsync(null, nodeName, cancellationToken)).Object;
        var addresses = node.Status?.Addresses ?? [];
        var host = _options.PreferredAddressTypes
            .Select(type => addresses.FirstOrDefault(a => a.Type == type)?.Address)
            .FirstOrDefault(a => !string.IsNullOrEmpty(a))
            ?? throw StatusException.Internal($"no preferred addresses found; known addresses: [{string.Join(" ", addresses.Select(a => $"{{{a.Type} {a.Address}}}"))}]");
        var port = node.Status?.DaemonEndpoints?.KubeletEndpoint?.Port is > 0 and var p ? p : _options.DefaultPort;
        return new UriBuilder(Uri.UriSchemeHttps, host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host, port).Uri;
    }

    /// <summary>Sends a request to a kubelet; the answer's headers are read, its body streams.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, bool insecureSkipTlsVerify, CancellationToken cancellationToken) =>
        (insecureSkipTlsVerify ? _insecure : _verified).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    public void Dispose()
    {
        _verified.Dispose();
        _insecure.Dispose();
    }

    private static HttpClient Client(KubeletClientOptions options, RemoteCertificateValidationCallback validate)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.Timeout,
            AllowAutoRedirect = false,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = validate,
                ClientCertificates = options.ClientCertificate is { } cert ? [cert] : null,
            },
        };
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }
}
