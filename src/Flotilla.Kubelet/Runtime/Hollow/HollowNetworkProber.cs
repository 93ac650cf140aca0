using Flotilla.Kubelet.Probes;

namespace Flotilla.Kubelet.Runtime.Hollow;

/// <summary>Hollow pods have no network to dial: their HTTP, TCP and gRPC probes and hooks succeed (simulation).</summary>
public sealed class HollowNetworkProber : INetworkProber
{
    public static readonly HollowNetworkProber Instance = new();

    private static readonly Task<ProbeResult> Simulated = Task.FromResult(ProbeResult.Success("simulated"));

    public Task<ProbeResult> HttpGetAsync(Uri url, IReadOnlyList<KeyValuePair<string, string>> headers, TimeSpan timeout, bool anyStatus, CancellationToken cancellationToken) => Simulated;

    public Task<ProbeResult> TcpAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken) => Simulated;

    public Task<ProbeResult> GrpcAsync(string host, int port, string service, TimeSpan timeout, CancellationToken cancellationToken) => Simulated;
}
