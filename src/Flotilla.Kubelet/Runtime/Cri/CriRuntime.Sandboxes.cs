using System.Collections.Concurrent;
using Grpc.Core;
using V1 = Flotilla.Kubelet.Runtime.Cri.V1;

namespace Flotilla.Kubelet.Runtime.Cri;

/// <summary>Pod sandboxes: the pause process holding the pod's network, IPC and UTS namespaces (kuberuntime's sandbox half).</summary>
public sealed partial class CriRuntime
{
    private const string PodNameLabel = "io.kubernetes.pod.name";
    private const string PodNamespaceLabel = "io.kubernetes.pod.namespace";
    private const string PodUidLabel = "io.kubernetes.pod.uid";

    // A sandbox's IP never changes: asked once (ListPodSandbox does not carry it).
    private readonly ConcurrentDictionary<string, string?> _sandboxIps = new(StringComparer.Ordinal);

    /// <summary>Upstream's pod log directory, <c>&lt;ns&gt;_&lt;name&gt;_&lt;uid&gt;</c>, under <see cref="CriRuntimeOptions.PodsDir"/>.</summary>
    public string PodDirectory(string ns, string name, string uid) => Path.Combine(_options.PodsDir, $"{ns}_{name}_{uid}");

    public async Task<string> RunPodSandboxAsync(PodSandboxConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        Directory.CreateDirectory(PodDirectory(config.Namespace, config.Name, config.Uid));
        try
        {
            var response = await _runtime.RunPodSandboxAsync(new V1.RunPodSandboxRequest { Config = SandboxConfig(config) }, cancellationToken: cancellationToken);
            return response.PodSandboxId;
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
        {
            throw new InvalidOperationException($"failed to create pod sandbox: {Describe(e)}", e);
        }
    }

    public async Task StopPodSandboxAsync(string sandboxId, CancellationToken cancellationToken)
    {
        try
        {
            await _runtime.StopPodSandboxAsync(new V1.StopPodSandboxRequest { PodSandboxId = sandboxId }, cancellationToken: cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
        }
    }

    public async Task RemovePodSandboxAsync(string sandboxId, CancellationToken cancellationToken)
    {
        try
        {
            await _runtime.RemovePodSandboxAsync(new V1.RemovePodSandboxRequest { PodSandboxId = sandboxId }, cancellationToken: cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
        }

        _sandboxIps.TryRemove(sandboxId, out _);
    }

    public async Task<IReadOnlyList<PodSandboxStatus>> ListPodSandboxesAsync(CancellationToken cancellationToken)
    {
        var sandboxes = await _runtime.ListPodSandboxAsync(new V1.ListPodSandboxRequest(), cancellationToken: cancellationToken);
        var statuses = new List<PodSandboxStatus>(sandboxes.Items.Count);
        foreach (var sandbox in sandboxes.Items)
        {
            var ready = sandbox.State == V1.PodSandboxState.SandboxReady;
            var ip = ready ? await SandboxIpAsync(sandbox.Id, cancellationToken) : null;
            var meta = sandbox.Metadata;
            var config = new PodSandboxConfig(meta.Name, meta.Namespace, meta.Uid, meta.Name, (int)meta.Attempt);
            statuses.Add(new PodSandboxStatus(sandbox.Id, config, ready, ip, FromNanos(sandbox.CreatedAt)));
        }

        return statuses;
    }

    private async Task<string?> SandboxIpAsync(string sandboxId, CancellationToken cancellationToken)
    {
        if (_sandboxIps.TryGetValue(sandboxId, out var known))
        {
            return known;
        }

        try
        {
            var status = await _runtime.PodSandboxStatusAsync(new V1.PodSandboxStatusRequest { PodSandboxId = sandboxId }, cancellationToken: cancellationToken);
            var ip = status.Status?.Network?.Ip is { Length: > 0 } address ? address : null;
            _sandboxIps[sandboxId] = ip;
            return ip;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// The sandbox as upstream's generatePodSandboxConfig makes it (so far: identity, hostname, log directory, the
    /// pod's own network, IPC and UTS namespaces, a PID namespace per container).
    /// </summary>
    private V1.PodSandboxConfig SandboxConfig(PodSandboxConfig config)
    {
        var sandbox = new V1.PodSandboxConfig
        {
            Metadata = new V1.PodSandboxMetadata { Name = config.Name, Namespace = config.Namespace, Uid = config.Uid, Attempt = (uint)config.Attempt },
            Hostname = config.Namespaces.HostNetwork ? string.Empty : config.Hostname,
            LogDirectory = PodDirectory(config.Namespace, config.Name, config.Uid),
            Labels =
            {
                [PodNameLabel] = config.Name,
                [PodNamespaceLabel] = config.Namespace,
                [PodUidLabel] = config.Uid,
            },
            PortMappings =
            {
                config.PortMappings.Select(p => new V1.PortMapping
                {
                    Protocol = p.Protocol switch { "UDP" => V1.Protocol.Udp, "SCTP" => V1.Protocol.Sctp, _ => V1.Protocol.Tcp },
                    ContainerPort = p.ContainerPort,
                    HostPort = p.HostPort,
                    HostIp = p.HostIp ?? string.Empty,
                }),
            },
            Linux = new V1.LinuxPodSandboxConfig
            {
                CgroupParent = config.CgroupParent ?? string.Empty,
                SecurityContext = new V1.LinuxSandboxSecurityContext { NamespaceOptions = NamespaceOptions(config.Namespaces) },
            },
        };
        if (config.Dns is { } dns)
        {
            sandbox.DnsConfig = new V1.DNSConfig { Servers = { dns.Servers }, Searches = { dns.Searches }, Options = { dns.Options } };
        }

        return sandbox;
    }

    /// <summary>Upstream's namespacesForPod: the node's namespaces when asked, else the pod's, the PID one per container unless shared.</summary>
    private static V1.NamespaceOption NamespaceOptions(PodNamespaces namespaces) => new()
    {
        Network = namespaces.HostNetwork ? V1.NamespaceMode.Node : V1.NamespaceMode.Pod,
        Pid = namespaces.HostPid ? V1.NamespaceMode.Node : namespaces.SharePid ? V1.NamespaceMode.Pod : V1.NamespaceMode.Container,
        Ipc = namespaces.HostIpc ? V1.NamespaceMode.Node : V1.NamespaceMode.Pod,
    };
}
