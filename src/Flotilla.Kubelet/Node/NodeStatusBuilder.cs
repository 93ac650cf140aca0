using System.Security.Cryptography;
using System.Text;
using Flotilla.Api;
using Flotilla.Api.Volumes;
using Flotilla.Kubelet.Runtime;
using k8s.Models;

namespace Flotilla.Kubelet.Node;

/// <summary>
/// The Node object and status the kubelet reports (upstream's initialNode and setters): well-known labels, capacity,
/// addresses, <c>nodeInfo</c>, the four conditions with upstream's reasons and messages (memory and disk pressure as
/// <see cref="NodePressure"/> judges them), and images. A condition keeps
/// its <c>lastTransitionTime</c> while its status stays the same.
/// </summary>
public static class NodeStatusBuilder
{
    public static V1Node InitialNode(KubeletOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var labels = new Dictionary<string, string>(options.Labels)
        {
            ["kubernetes.io/hostname"] = options.NodeName,
            ["kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = BuildVersion.Architecture,
            ["beta.kubernetes.io/os"] = "linux",
            ["beta.kubernetes.io/arch"] = BuildVersion.Architecture,
        };
        var annotations = new Dictionary<string, string>
        {
            ["node.alpha.kubernetes.io/ttl"] = "0",
            ["volumes.kubernetes.io/controller-managed-attach-detach"] = "true",
        };
        if (options.LocalStoragePath is { Length: > 0 } storage)
        {
            annotations[LocalPath.StorageRootAnnotation] = storage;
        }

        return new V1Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new V1ObjectMeta { Name = options.NodeName, Labels = labels, Annotations = annotations },
        };
    }

    public static V1NodeStatus Status(KubeletOptions options, RuntimeVersion version, RuntimeStatus runtime, IReadOnlyList<RuntimeImage> images, IList<V1NodeCondition>? previous, DateTimeOffset now, NodePressure? pressure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(runtime);
        var stamp = Timestamps.Of(now);
        var capacity = options.Capacity.ToDictionary(c => c.Key, c => new ResourceQuantity(c.Value));
        var addresses = new List<V1NodeAddress>();
        if (options.InternalIp is { Length: > 0 } ip)
        {
            addresses.Add(new V1NodeAddress { Type = "InternalIP", Address = ip });
        }

        addresses.Add(new V1NodeAddress { Type = "Hostname", Address = options.NodeName });
        var (readyStatus, readyReason, readyMessage) = runtime switch
        {
            { Ready: false } => ("False", "KubeletNotReady", $"container runtime is down: {runtime.Reason}: {runtime.Message}"),
            { NetworkReady: false } => ("False", "KubeletNotReady", $"container runtime network not ready: NetworkReady=false reason:{runtime.Reason} message:{runtime.Message}"),
            _ => ("True", "KubeletReady", "kubelet is posting ready status"),
        };
        return new V1NodeStatus
        {
            Capacity = capacity,
            Allocatable = new Dictionary<string, ResourceQuantity>(capacity),
            Addresses = addresses,
            Conditions =
            [
                pressure is { Memory: true }
                    ? Condition(previous, "MemoryPressure", "True", "KubeletHasInsufficientMemory", "kubelet has insufficient memory available", stamp)
                    : Condition(previous, "MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", stamp),
                pressure is { Disk: true }
                    ? Condition(previous, "DiskPressure", "True", "KubeletHasDiskPressure", "kubelet has disk pressure", stamp)
                    : Condition(previous, "DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", stamp),
                Condition(previous, "PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", stamp),
                Condition(previous, "Ready", readyStatus, readyReason, readyMessage, stamp),
            ],
            NodeInfo = new V1NodeSystemInfo
            {
                MachineID = Id(options.NodeName, "machine"),
                SystemUUID = new Guid(Convert.FromHexString(Id(options.NodeName, "system"))).ToString(),
                BootID = BootId,
                KernelVersion = HostFacts.KernelVersion,
                OsImage = HostFacts.OsImage,
                ContainerRuntimeVersion = version?.ToString(),
                KubeletVersion = BuildVersion.GitVersion,
                KubeProxyVersion = string.Empty,
                OperatingSystem = "linux",
                Architecture = BuildVersion.Architecture,
            },
            DaemonEndpoints = new V1NodeDaemonEndpoints { KubeletEndpoint = new V1DaemonEndpoint { Port = options.KubeletPort } },
            Images = images.Count == 0 ? null : images.Select(i => new V1ContainerImage { Names = [.. i.Names], SizeBytes = i.SizeBytes }).ToList(),
        };
    }

    /// <summary>The same status apart from heartbeat times: nothing new to post before the report period ends.</summary>
    public static bool SameIgnoringHeartbeats(V1NodeStatus a, V1NodeStatus b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        static string Key(V1NodeStatus s) => k8s.KubernetesJson.Serialize(new V1NodeStatus
        {
            Capacity = s.Capacity,
            Allocatable = s.Allocatable,
            Addresses = s.Addresses,
            NodeInfo = s.NodeInfo,
            Images = s.Images,
            Conditions = s.Conditions?.Select(c => new V1NodeCondition { Type = c.Type, Status = c.Status, Reason = c.Reason, Message = c.Message }).ToList(),
        });
        return Key(a) == Key(b);
    }

    private static V1NodeCondition Condition(IList<V1NodeCondition>? previous, string type, string status, string reason, string message, DateTime now)
    {
        var before = previous?.FirstOrDefault(c => c.Type == type);
        return new V1NodeCondition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message,
            LastHeartbeatTime = now,
            LastTransitionTime = before is not null && before.Status == status && before.LastTransitionTime is { } since ? since : now,
        };
    }

    /// <summary>Stable per node, as a machine's IDs are (hollow nodes share one machine, so they are derived).</summary>
    private static string Id(string node, string kind) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{kind}/{node}")).AsSpan(0, 16));

    private static readonly string BootId = Guid.NewGuid().ToString();
}
