using Flotilla.Api.Errors;
using Flotilla.ApiServer.Registry;
using Flotilla.ApiServer.Watch;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.ApiServer.Auth.Rbac;

/// <summary>
/// Keeps every aggregated ClusterRole's rules the union of the roles its selectors match (upstream's
/// clusterroleaggregation controller): any ClusterRole change recomputes them all from the watch cache, and a
/// difference is written back through the storage. It runs inside the API server only until the controller
/// manager exists; it moves there with issue #6.
/// </summary>
public sealed partial class ClusterRoleAggregator(WatchCache clusterRoles, ResourceStorage storage, ILogger<ClusterRoleAggregator> log) : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    /// <summary>Starts following the ClusterRoles until <paramref name="appStopping"/> or disposal.</summary>
    public void Start(CancellationToken appStopping)
    {
        if (_loop is not null)
        {
            return;
        }

        var stop = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, appStopping);
        _loop = Task.Run(async () =>
        {
            using (stop)
            {
                await RunAsync(stop.Token);
            }
        }, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var (_, revision) = clusterRoles.List(null);
                await SyncAsync(cancellationToken);
                await foreach (var _ in clusterRoles.WatchAsync(null, revision, cancellationToken))
                {
                    await SyncAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is StatusException or Storage.StoreException or InvalidOperationException)
            {
                // The cache was rebuilt (410) or a write failed: start again from a fresh list.
                LogRetry(log, e.Message);
                try
                {
                    await Task.Delay(RetryDelay, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task SyncAsync(CancellationToken cancellationToken)
    {
        var all = clusterRoles.List(null).Objects.Select(o => (V1ClusterRole)o.Object).ToList();
        foreach (var role in all.Where(r => r.AggregationRule is not null))
        {
            var rules = ClusterRoleAggregation.Aggregate(role, all);
            if (rules is null)
            {
                LogInvalidSelector(log, role.Metadata.Name);
                continue;
            }

            if (PolicyRuleEquality.SameRules(rules, role.Rules))
            {
                continue;
            }

            try
            {
                // Recomputed on the stored version, whose aggregationRule may be newer than the cache's.
                await storage.UpdateAsync(null, role.Metadata.Name, storage.Strategy, current =>
                {
                    var stored = (V1ClusterRole)current!;
                    stored.Rules = ClusterRoleAggregation.Aggregate(stored, all) ?? stored.Rules;
                    return stored;
                }, dryRun: false, admission: null, cancellationToken);
                LogAggregated(log, role.Metadata.Name, rules.Count);
            }
            catch (StatusException e) when (e.Reason == "NotFound")
            {
                // Deleted meanwhile.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "clusterrole {Name}: {Count} aggregated rules")]
    private static partial void LogAggregated(ILogger logger, string name, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "clusterrole {Name}: invalid aggregationRule selector, rules left as they are")]
    private static partial void LogInvalidSelector(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "clusterrole aggregation: starting again: {Reason}")]
    private static partial void LogRetry(ILogger logger, string reason);
}
