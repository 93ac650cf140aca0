using System.Globalization;
using Flotilla.Kubelet.Runtime;
using Flotilla.Kubelet.Pods;
using k8s.Models;

namespace Flotilla.Kubelet.Probes;

/// <summary>
/// Runs one probe, or one lifecycle hook, against one container (upstream's prober and lifecycle handler runner):
/// exec through the runtime, HTTP GET, TCP and gRPC through the network prober, sleep in the kubelet.
/// </summary>
public sealed class Prober(IContainerRuntime runtime, INetworkProber network, TimeProvider time)
{
    public async Task<ProbeResult> ProbeAsync(V1Probe probe, string? podIp, V1Container container, string containerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(container);
        var timeout = TimeSpan.FromSeconds(probe.TimeoutSeconds is > 0 ? probe.TimeoutSeconds.Value : 1);
        if (probe.Exec is { } exec)
        {
            var command = exec.Command ?? [];
            try
            {
                var result = await runtime.ExecSyncAsync(containerId, [.. command], timeout, cancellationToken);
                var output = result.Stdout + result.Stderr;
                return result.ExitCode == 0 ? ProbeResult.Success(output) : ProbeResult.Failure(output);
            }
            catch (TimeoutException)
            {
                return ProbeResult.Failure($"command \"{string.Join(' ', command)}\" timed out");
            }
            catch (InvalidOperationException e)
            {
                return ProbeResult.Unknown(e.Message);
            }
        }

        if (probe.HttpGet is { } http)
        {
            return Port(http.Port, container) is not { } port ? NoPort(http.Port, container)
                : podIp is null && http.Host is null ? ProbeResult.Unknown("the pod has no IP yet")
                : await network.HttpGetAsync(Url(http, http.Host ?? podIp!, port), Headers(http), timeout, anyStatus: false, cancellationToken);
        }

        if (probe.TcpSocket is { } tcp)
        {
            return Port(tcp.Port, container) is not { } port ? NoPort(tcp.Port, container)
                : (tcp.Host ?? podIp) is not { } host ? ProbeResult.Unknown("the pod has no IP yet")
                : await network.TcpAsync(host, port, timeout, cancellationToken);
        }

        if (probe.Grpc is { } grpc)
        {
            return podIp is null ? ProbeResult.Unknown("the pod has no IP yet") : await network.GrpcAsync(podIp, grpc.Port, grpc.Service ?? string.Empty, timeout, cancellationToken);
        }

        return ProbeResult.Unknown("missing probe handler");
    }

    /// <summary>Runs a postStart or preStop hook; returns null when it succeeded, else upstream's message for the event.</summary>
    public async Task<string?> RunHookAsync(V1LifecycleHandler handler, V1Pod pod, string? podIp, V1Container container, string containerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        var who = $"for Container \"{container.Name}\" in Pod \"{PodNames.Format(pod)}\"";
        if (handler.Exec is { } exec)
        {
            var command = exec.Command ?? [];
            string error;
            string output = string.Empty;
            try
            {
                var result = await runtime.ExecSyncAsync(containerId, [.. command], TimeSpan.Zero, cancellationToken);
                if (result.ExitCode == 0)
                {
                    return null;
                }

                output = result.Stdout + result.Stderr;
                error = string.Create(CultureInfo.InvariantCulture, $"command '{string.Join(' ', command)}' exited with {result.ExitCode}: {result.Stderr}");
            }
            catch (InvalidOperationException e)
            {
                error = e.Message;
            }

            return $"Exec lifecycle hook ([{string.Join(' ', command)}]) {who} failed - error: {error}, message: \"{output}\"";
        }

        if (handler.HttpGet is { } http)
        {
            var port = Port(http.Port, container);
            var host = http.Host ?? podIp;
            var result = port is null ? NoPort(http.Port, container)
                : host is null ? ProbeResult.Failure("the pod has no IP yet")
                : await network.HttpGetAsync(Url(http, host, port.Value), Headers(http), Timeout.InfiniteTimeSpan, anyStatus: true, cancellationToken);
            return result.Outcome == ProbeOutcome.Success ? null : $"HTTP lifecycle hook ({http.Path}) {who} failed - error: {result.Output}";
        }

        if (handler.Sleep is { } sleep)
        {
            await Task.Delay(TimeSpan.FromSeconds(sleep.Seconds), time, cancellationToken);
            return null;
        }

        if (handler.TcpSocket is not null)
        {
            return null;  // accepted for compatibility and never run, as upstream
        }

        return $"Cannot run handler: unknown handler {who}";
    }

    /// <summary>A port number, or the number of the container port with that name.</summary>
    private static int? Port(IntOrString? port, V1Container container)
    {
        var text = port?.Value;
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        return container.Ports?.FirstOrDefault(p => p.Name == text)?.ContainerPort;
    }

    private static ProbeResult NoPort(IntOrString? port, V1Container container) =>
        ProbeResult.Unknown($"couldn't find port: {port?.Value} in container {container.Name}");

    private static Uri Url(V1HTTPGetAction http, string host, int port)
    {
        var scheme = string.Equals(http.Scheme, "HTTPS", StringComparison.OrdinalIgnoreCase) ? "https" : "http";
        var path = http.Path ?? string.Empty;
        if (!path.StartsWith('/'))
        {
            path = "/" + path;
        }

        var authority = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        return new Uri(string.Create(CultureInfo.InvariantCulture, $"{scheme}://{authority}:{port}{path}"));
    }

    private static List<KeyValuePair<string, string>> Headers(V1HTTPGetAction http) =>
        [.. (http.HttpHeaders ?? []).Select(h => KeyValuePair.Create(h.Name, h.Value ?? string.Empty))];
}
