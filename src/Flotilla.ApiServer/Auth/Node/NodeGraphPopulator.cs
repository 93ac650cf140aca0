using Flotilla.Api.Errors;
using Flotilla.ApiServer.Registry;
using Flotilla.ApiServer.Watch;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Flotilla.ApiServer.Auth.Node;

/// <summary>
/// Keeps the <see cref="NodeGraph"/> in step with the watch caches of pods and persistent volumes (upstream's
/// graph_populator over informers): a graph built from one list of each, then every change after it. When a cache is
/// rebuilt (its watches end with 410) the graph is rebuilt aside and swapped in whole.
/// </summary>
public sealed partial class NodeGraphPopulator(NodeGraph graph, WatchCache pods, WatchCache persistentVolumes, ILogger<NodeGraphPopulator> log) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await FollowOnceAsync(stoppingToken);
            }
            catch (StatusException e) when (e.Code == 410)
            {
                LogRebuild(log, e.Message);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // A follower ended without an error: start over all the same.
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // An object the graph cannot read must not stop the API server: start over from a fresh list.
                LogFailed(log, e);
                await Task.Delay(RetryDelay, stoppingToken);
            }
        }
    }

    /// <summary>Builds the graph from one list of each cache and follows both until either fails.</summary>
    private async Task FollowOnceAsync(CancellationToken stoppingToken)
    {
        var (podList, podRevision) = pods.List(null);
        var (volumeList, volumeRevision) = persistentVolumes.List(null);
        var rebuilt = new NodeGraph();
        foreach (var pod in podList.Select(o => o.Object).OfType<V1Pod>().Where(p => !string.IsNullOrEmpty(p.Spec?.NodeName)))
        {
            rebuilt.AddPod(pod);
        }

        foreach (var pv in volumeList.Select(o => o.Object).OfType<V1PersistentVolume>())
        {
            rebuilt.AddPersistentVolume(pv);
        }

        graph.ReplaceWith(rebuilt);
        using var round = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Task[] followers = [FollowAsync(pods, podRevision, ApplyPod, round.Token), FollowAsync(persistentVolumes, volumeRevision, ApplyVolume, round.Token)];
        await Task.WhenAny(followers);
        await round.CancelAsync();

        // The failure of the one that ended (a 410 when its cache was rebuilt); the other's is its cancellation.
        await Task.WhenAll(followers);
    }

    private static async Task FollowAsync(WatchCache cache, long revision, Action<CachedChange> apply, CancellationToken cancellationToken)
    {
        await foreach (var change in cache.WatchAsync(null, revision, cancellationToken))
        {
            apply(change);
        }
    }

    private void ApplyPod(CachedChange change)
    {
        if (change.Object.Object is not V1Pod pod || string.IsNullOrEmpty(pod.Spec?.NodeName))
        {
            return;  // not bound yet: nothing on a node to relate
        }

        if (change.Type == ChangeType.Deleted)
        {
            graph.DeletePod(pod.Metadata.NamespaceProperty, pod.Metadata.Name);
            return;
        }

        // A bound pod's references are immutable; only a new pod of the same name or a claim made from a template
        // for it changes its edges.
        if (change.Previous?.Object is V1Pod old && old.Spec?.NodeName == pod.Spec.NodeName && old.Metadata.Uid == pod.Metadata.Uid &&
            SameClaimStatuses(old.Status?.ResourceClaimStatuses, pod.Status?.ResourceClaimStatuses))
        {
            return;
        }

        graph.AddPod(pod);
    }

    private void ApplyVolume(CachedChange change)
    {
        if (change.Object.Object is not V1PersistentVolume pv)
        {
            return;
        }

        if (change.Type == ChangeType.Deleted)
        {
            graph.DeletePersistentVolume(pv.Metadata.Name);
        }
        else
        {
            graph.AddPersistentVolume(pv);
        }
    }

    private static bool SameClaimStatuses(IList<V1PodResourceClaimStatus>? a, IList<V1PodResourceClaimStatus>? b) =>
        (a ?? []).Select(s => (s.Name, s.ResourceClaimName)).SequenceEqual((b ?? []).Select(s => (s.Name, s.ResourceClaimName)));

    [LoggerMessage(Level = LogLevel.Information, Message = "node authorizer: rebuilding the graph after the watch cache was rebuilt: {Reason}")]
    private static partial void LogRebuild(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "node authorizer: following the watch caches failed; rebuilding the graph")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
