namespace Flotilla.Kubelet.Probes;

/// <summary>
/// The probes and hooks that go over the pod's network: HTTP GET, TCP connect and the gRPC health protocol. The real
/// one (<see cref="NetworkProber"/>) dials the pod; hollow nodes, whose pods have no network, answer for it.
/// </summary>
public interface INetworkProber
{
    /// <param name="anyStatus">Whether any HTTP answer counts (lifecycle hooks); probes want 200 to 399.</param>
    Task<ProbeResult> HttpGetAsync(Uri url, IReadOnlyList<KeyValuePair<string, string>> headers, TimeSpan timeout, bool anyStatus, CancellationToken cancellationToken);

    Task<ProbeResult> TcpAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken);

    /// <param name="service">The service to ask about; empty asks about the server as a whole.</param>
    Task<ProbeResult> GrpcAsync(string host, int port, string service, TimeSpan timeout, CancellationToken cancellationToken);
}
