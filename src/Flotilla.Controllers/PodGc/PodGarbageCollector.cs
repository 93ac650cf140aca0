using Flotilla.Client;
using Flotilla.Client.Informers;
using Flotilla.Controllers.Framework;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Controllers.PodGc;

/// <summary>
/// kube-controller-manager's pod garbage collector: every 20 s it force-deletes the oldest finished pods beyond
/// <c>--terminated-pod-gc-threshold</c> (evicted ones first), terminating pods on not-ready nodes tainted
/// <c>node.kubernetes.io/out-of-service</c>, pods bound to nodes that have been gone for 40 s (checked with a fresh
/// read, and marked <c>DisruptionTarget</c> first), and terminating pods never bound to a node. Pods not yet finished
/// are marked Failed before they go.
/// </summary>
public sealed partial class PodGarbageCollector(Lister<V1Pod> pods, Lister<V1Node> nodes, IPodGcClient client, int terminatedThreshold, TimeProvider time, ILogger log)
{
    public const string Name = "pod-garbage-collector";
    public const string OutOfServiceTaint = "node.kubernetes.io/out-of-service";

    /// <summary>Upstream gcCheckPeriod.</summary>
    public static readonly TimeSpan CheckPeriod = TimeSpan.FromSeconds(20);

    /// <summary>Upstream quarantineTime: how long a node must be missing before its pods are orphans.</summary>
    public static readonly TimeSpan Quarantine = TimeSpan.FromSeconds(40);

    // Nodes pods are bound to that the cache does not have, and since when.
    private readonly Dictionary<string, DateTimeOffset> _missingSince = new(StringComparer.Ordinal);

    public static async Task RunAsync(SharedInformerFactory informers, IPodGcClient client, int terminatedThreshold, TimeSpan period, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var collector = new PodGarbageCollector(informers.Informer<V1Pod>().Lister, informers.Informer<V1Node>().Lister, client, terminatedThreshold, time, log);
        informers.Start();
        await informers.WaitForCacheSyncAsync(cancellationToken);
        await Periodic.RunAsync(period, collector.CollectAsync, e => LogFailed(log, "pass", e.Message), time, cancellationToken);
    }

    /// <summary>One pass over the caches (upstream gc); each deletion's failure is logged and tried next pass.</summary>
    public async Task CollectAsync(CancellationToken cancellationToken)
    {
        var allPods = pods.List();
        var allNodes = nodes.List();
        if (terminatedThreshold > 0)
        {
            var terminated = allPods.Where(p => p.Status?.Phase is not ("Pending" or "Running" or "Unknown")).ToList();
            var excess = terminated.Count - terminatedThreshold;
            if (excess > 0)
            {
                LogCollecting(log, excess);
                await Task.WhenAll(Ordered(terminated).Take(excess).Select(p => DeleteAsync(p, null, "terminated", cancellationToken)));
            }
        }

        var byName = allNodes.ToDictionary(n => n.Metadata.Name, StringComparer.Ordinal);
        var outOfService = allPods.Where(p => p.Metadata.DeletionTimestamp is not null &&
            byName.TryGetValue(p.Spec?.NodeName ?? string.Empty, out var node) &&
            NodeCondition(node, "Ready") != "True" &&
            node.Spec?.Taints?.Any(t => t.Key == OutOfServiceTaint) == true).ToList();
        await Task.WhenAll(Ordered(outOfService).Select(p => DeleteAsync(p, null, "out-of-service", cancellationToken)));

        await CollectOrphansAsync(allPods, byName, cancellationToken);

        foreach (var pod in allPods.Where(p => p.Metadata.DeletionTimestamp is not null && string.IsNullOrEmpty(p.Spec?.NodeName)))
        {
            await DeleteAsync(pod, null, "unscheduled", cancellationToken);
        }
    }

    private async Task CollectOrphansAsync(IReadOnlyList<V1Pod> allPods, Dictionary<string, V1Node> existing, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var node in allPods.Select(p => p.Spec?.NodeName).Where(n => !string.IsNullOrEmpty(n) && !existing.ContainsKey(n!)).Distinct(StringComparer.Ordinal))
        {
            _missingSince.TryAdd(node!, now);
        }

        var gone = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (node, since) in _missingSince.Where(m => now - m.Value >= Quarantine).ToList())
        {
            _missingSince.Remove(node);
            if (existing.ContainsKey(node))
            {
                continue;
            }

            try
            {
                // The cache may lag: only the API server's word that the node is gone counts.
                if (!await client.NodeExistsAsync(node, cancellationToken))
                {
                    gone.Add(node);
                }
            }
            catch (k8s.Autorest.HttpOperationException e)
            {
                LogFailed(log, node, ApiErrors.Message(e));
            }
        }

        var condition = new V1PodCondition { Type = "DisruptionTarget", Status = "True", Reason = "DeletionByPodGC", Message = "PodGC: node no longer exists" };
        foreach (var pod in allPods.Where(p => gone.Contains(p.Spec?.NodeName ?? string.Empty)))
        {
            await DeleteAsync(pod, condition, "orphaned", cancellationToken);
        }
    }

    /// <summary>Upstream markFailedAndDeletePod: a pod not finished is Failed first; then it is deleted without grace.</summary>
    private async Task DeleteAsync(V1Pod pod, V1PodCondition? condition, string reason, CancellationToken cancellationToken)
    {
        var key = ObjectKeys.Of(pod);
        LogDeleting(log, key, reason);
        try
        {
            if (pod.Status?.Phase is not ("Succeeded" or "Failed"))
            {
                if (condition is not null)
                {
                    condition.LastTransitionTime = Api.Timestamps.Of(time.GetUtcNow());
                }

                await client.MarkFailedAsync(pod, condition, cancellationToken);
            }

            await client.ForceDeleteAsync(pod, cancellationToken);
        }
        catch (k8s.Autorest.HttpOperationException e)
        {
            LogFailed(log, key, ApiErrors.Message(e));
        }
    }

    /// <summary>Upstream byEvictionAndCreationTimestamp: evicted pods first, then oldest first.</summary>
    private static IEnumerable<V1Pod> Ordered(IEnumerable<V1Pod> list) =>
        list.OrderBy(p => p.Status?.Phase == "Failed" && p.Status.Reason == "Evicted" ? 0 : 1)
            .ThenBy(p => p.Metadata.CreationTimestamp ?? DateTime.MinValue)
            .ThenBy(p => p.Metadata.Name, StringComparer.Ordinal);

    private static string? NodeCondition(V1Node node, string type) => node.Status?.Conditions?.FirstOrDefault(c => c.Type == type)?.Status;

    [LoggerMessage(Level = LogLevel.Information, Message = "pod gc: {Count} terminated pods beyond the threshold")]
    private static partial void LogCollecting(ILogger log, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "pod {Pod}: force-deleting ({Reason})")]
    private static partial void LogDeleting(ILogger log, string pod, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "pod gc: {Object}: {Error}")]
    private static partial void LogFailed(ILogger log, string @object, string error);
}
