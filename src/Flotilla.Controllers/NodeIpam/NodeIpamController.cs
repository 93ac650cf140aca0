using Flotilla.Client;
using System.Text.Json;
using Flotilla.Client.Events;
using Flotilla.Client.Informers;
using Flotilla.Client.WorkQueue;
using Flotilla.Controllers.Framework;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Controllers.NodeIpam;

/// <summary>
/// kube-controller-manager's node IPAM controller with the range allocator: every node gets a pod subnet from the
/// cluster CIDR in <c>spec.podCIDR</c>/<c>podCIDRs</c> (one <c>/24</c> of <c>10.42.0.0/16</c> by default), the
/// subnets nodes already have are kept, and a deleted node's subnet is released. A node whose subnet cannot be
/// given gets a <c>CIDRNotAvailable</c> event and is tried again with back-off.
/// </summary>
public sealed partial class NodeIpamController(Lister<V1Node> nodes, CidrSet cidrs, IKubernetes client, IEventRecorder events, TimeProvider time, ILogger log)
{
    /// <summary>Its service account, shared with the node lifecycle controller as upstream does.</summary>
    public const string Name = "node-controller";

    /// <summary>The event source upstream's allocator records as.</summary>
    public const string EventComponent = "cidrAllocator";

    private const int PatchAttempts = 3;

    // Subnets this controller patched onto nodes that its cache does not show yet: not handed out twice.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _assigned = new(StringComparer.Ordinal);

    public WorkQueue<string> Queue { get; } = new("cidrallocator_node", time);

    public static async Task RunAsync(SharedInformerFactory informers, CidrSet cidrs, IKubernetes client, IEventRecorder events, int workers, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var nodes = informers.Informer<V1Node>();
        var controller = new NodeIpamController(nodes.Lister, cidrs, client, events, time, log);
        using var queue = controller.Queue;
        nodes.AddEventHandler(new ResourceEventHandler<V1Node>
        {
            OnAdd = (node, _) => queue.Add(node.Metadata.Name),
            OnUpdate = (_, node) => queue.Add(node.Metadata.Name),
            OnDelete = node =>
            {
                controller.Release(node);
                queue.Add(node.Metadata.Name);
            },
        });
        informers.Start();
        await informers.WaitForCacheSyncAsync(cancellationToken);
        controller.OccupyExisting();
        await new ControllerLoop(Name + "/ipam", queue, controller.SyncAsync, log).RunAsync(workers, cancellationToken);
    }

    /// <summary>Marks the subnets nodes already have as used, before any new one is handed out.</summary>
    public void OccupyExisting()
    {
        foreach (var node in nodes.List())
        {
            try
            {
                Occupy(node);
            }
            catch (InvalidOperationException e)
            {
                LogBadCidr(log, node.Metadata.Name, e.Message);
            }
        }
    }

    public async Task SyncAsync(string name, CancellationToken cancellationToken)
    {
        if (nodes.Get(name) is not { } node)
        {
            return;  // released when the delete was seen
        }

        if (node.Metadata.DeletionTimestamp is not null)
        {
            Release(node);
            return;
        }

        if (node.Spec?.PodCIDRs is { Count: > 0 })
        {
            _assigned.TryRemove(name, out _);
            Occupy(node);
            return;
        }

        if (_assigned.ContainsKey(name))
        {
            return;  // patched; the update is on its way
        }

        if (cidrs.AllocateNext() is not { } cidr)
        {
            events.Event(node, EventTypes.Normal, "CIDRNotAvailable", "Node {0} status is now: CIDRNotAvailable", name);
            throw new InvalidOperationException("failed to allocate cidr from cluster cidr at idx:0: CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range");
        }

        var patch = JsonSerializer.Serialize(new { spec = new { podCIDR = cidr, podCIDRs = new[] { cidr } } });
        Exception? failure = null;
        for (var attempt = 0; attempt < PatchAttempts; attempt++)
        {
            try
            {
                _assigned[name] = cidr;
                await client.CoreV1.PatchNodeAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), name, cancellationToken: cancellationToken);
                LogAssigned(log, name, cidr);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _assigned.TryRemove(name, out _);
                failure = e;
            }
        }

        events.Event(node, EventTypes.Normal, "CIDRAssignmentFailed", "Node {0} status is now: CIDRAssignmentFailed", name);
        cidrs.Release(cidr);
        throw new InvalidOperationException($"failed to patch node CIDR: {ApiErrors.Describe(failure!)}", failure);
    }

    internal void Release(V1Node node)
    {
        if (_assigned.TryRemove(node.Metadata.Name, out var pending) && node.Spec?.PodCIDRs is not { Count: > 0 })
        {
            cidrs.Release(pending);
        }

        foreach (var cidr in node.Spec?.PodCIDRs ?? [])
        {
            if (cidrs.Release(cidr))
            {
                LogReleased(log, node.Metadata.Name, cidr);
            }
        }
    }

    private void Occupy(V1Node node)
    {
        // One cluster CIDR (IPv4): a node's first subnet is this allocator's; others are not its to track.
        if (node.Spec?.PodCIDRs is { Count: > 0 } podCidrs && !cidrs.Occupy(podCidrs[0]))
        {
            throw new InvalidOperationException($"node {node.Metadata.Name} has an allocated cidr {podCidrs[0]} that is not a /{cidrs.NodeMaskSize} of the cluster cidr");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "node {Node}: podCIDR set to {Cidr}")]
    private static partial void LogAssigned(ILogger log, string node, string cidr);

    [LoggerMessage(Level = LogLevel.Information, Message = "node {Node}: podCIDR {Cidr} released")]
    private static partial void LogReleased(ILogger log, string node, string cidr);

    [LoggerMessage(Level = LogLevel.Error, Message = "node {Node}: {Error}")]
    private static partial void LogBadCidr(ILogger log, string node, string error);
}
