using Flotilla.Api.Errors;
using Flotilla.Api.Resources;
using Flotilla.ApiServer.Registry;
using Flotilla.ApiServer.Registry.Validation;
using Flotilla.ApiServer.Watch;
using Flotilla.Storage;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Flotilla.ApiServer.Admission.Quota;

/// <summary>
/// Keeps ResourceQuotas' status true (upstream's resource quota controller): <c>status.hard</c> follows the spec,
/// and <c>status.used</c> is recounted from the namespace's objects when a quota is made or changed and when objects
/// it counts go away (deleted, or pods finished), which gives usage back. Admission charges usage as objects come.
/// It writes through the registry; it runs in the API server until the controller manager (issue #6) takes it over.
/// </summary>
public sealed partial class QuotaStatusKeeper(ResourceRegistry registry, CacheSet caches, ILogger<QuotaStatusKeeper> log) : BackgroundService
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private readonly ResourceStorage _quotas = registry.Find("", "v1", "resourcequotas")!;
    private readonly AdmissionLookup _lookup = new(registry, caches);
    private readonly (string Prefix, ResourceInfo Resource)[] _namespaced = [.. registry.Catalog.Resources
        .Where(r => r.Namespaced && r.StoredAs is null)
        .Select(r => (r.StoragePrefix, r))];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var revision = await registry.Store.GetCurrentRevisionAsync(stoppingToken);
                await caches.WaitFreshAsync(stoppingToken);
                foreach (var ns in _lookup.List<V1ResourceQuota>("", "resourcequotas", null).Select(q => q.Metadata.NamespaceProperty).Distinct().ToList())
                {
                    await RecountAsync(ns, stoppingToken);
                }

                await FollowAsync(revision, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                // Stopping, or the store closed under a host that failed to start: nothing left to follow.
                return;
            }
            catch (Exception e) when (e is StatusException or StoreException)
            {
                LogRetry(log, e.Message);
                await Task.Delay(RetryDelay, stoppingToken);
            }
        }
    }

    private async Task FollowAsync(long revision, CancellationToken cancellationToken)
    {
        var dirty = new HashSet<string>(StringComparer.Ordinal);
        await using var events = registry.Store.WatchAsync("/registry/", revision, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var next = events.MoveNextAsync().AsTask();
        while (true)
        {
            // Changes that come together are recounted together, once.
            if (dirty.Count > 0 && await Task.WhenAny(next, Task.Delay(Debounce, cancellationToken)) != next)
            {
                await caches.WaitFreshAsync(cancellationToken);
                foreach (var ns in dirty)
                {
                    await RecountAsync(ns, cancellationToken);
                }

                dirty.Clear();
                continue;
            }

            if (!await next)
            {
                return;
            }

            if (Affected(events.Current) is { } changed)
            {
                dirty.Add(changed);
            }

            next = events.MoveNextAsync().AsTask();
        }
    }

    /// <summary>The namespace whose quotas this change may free or reset, or null.</summary>
    private string? Affected(WatchEvent e)
    {
        var key = e.Kv.Key;
        var match = _namespaced.FirstOrDefault(n => key.StartsWith(n.Prefix, StringComparison.Ordinal));
        if (match.Resource is null)
        {
            return null;
        }

        var rest = key[match.Prefix.Length..];
        var ns = rest[..Math.Max(0, rest.IndexOf('/', StringComparison.Ordinal))];
        if (ns.Length == 0)
        {
            return null;
        }

        if (match.Resource.Plural == "resourcequotas" && match.Resource.Group.Length == 0)
        {
            // Only a new or changed spec: admission's own charges must not trigger a recount, which would miss
            // objects charged but not stored yet.
            if (e.Type == Storage.WatchEventType.Delete)
            {
                return null;
            }

            var quota = (V1ResourceQuota)_quotas.Decode(e.Kv).Object;
            return Same(quota.Status?.Hard, quota.Spec?.Hard ?? new Dictionary<string, ResourceQuantity>()) ? null : ns;
        }

        if (e.Type == Storage.WatchEventType.Delete)
        {
            return ns;
        }

        // A pod that finished stops counting; so does a service whose type or a claim whose size shrank.
        if (match.Resource.Group.Length == 0 && e.PrevKv is { } prev && match.Resource.Plural is "pods" or "services" or "persistentvolumeclaims")
        {
            var storage = registry.Get(match.Resource);
            var before = QuotaUsage.Of(match.Resource, storage.Decode(prev).Object);
            var after = QuotaUsage.Of(match.Resource, storage.Decode(e.Kv).Object);
            return before.Any(b => after.GetValueOrDefault(b.Key) < b.Value) ? ns : null;
        }

        return null;
    }

    private async Task RecountAsync(string ns, CancellationToken cancellationToken)
    {
        foreach (var quota in _lookup.List<V1ResourceQuota>("", "resourcequotas", ns).ToList())
        {
            var hard = quota.Spec?.Hard ?? new Dictionary<string, ResourceQuantity>();
            var used = Count(ns, quota, hard);
            if (Same(quota.Status?.Hard, hard) && Same(quota.Status?.Used, used))
            {
                continue;
            }

            try
            {
                await _quotas.UpdateAsync(ns, quota.Metadata.Name, _quotas.Strategy.StatusStrategy!, current =>
                {
                    var updated = (V1ResourceQuota)current!;
                    updated.Status = new V1ResourceQuotaStatus { Hard = hard, Used = used };
                    return updated;
                }, dryRun: false, admission: null, cancellationToken);
            }
            catch (StatusException e) when (e.Code is 404 or 409)
            {
                // Gone, or charged meanwhile: the change that follows brings it back here.
            }
        }
    }

    private Dictionary<string, ResourceQuantity> Count(string ns, V1ResourceQuota quota, IDictionary<string, ResourceQuantity> hard)
    {
        var totals = hard.Keys.ToDictionary(k => k, _ => 0m, StringComparer.Ordinal);
        foreach (var resource in _namespaced.Select(n => n.Resource).Where(r => hard.Keys.Any(k => QuotaUsage.Tracks(r, k))))
        {
            foreach (var obj in caches.For(resource)!.List(ns).Objects.Select(o => o.Object).Where(o => QuotaScopes.Matches(quota, o)))
            {
                foreach (var (name, value) in QuotaUsage.Of(resource, obj))
                {
                    if (totals.ContainsKey(name))
                    {
                        totals[name] += value;
                    }
                }
            }
        }

        return totals.ToDictionary(t => t.Key, t => new ResourceQuantity(t.Value, 0, hard[t.Key].Format), StringComparer.Ordinal);
    }

    private static bool Same(IDictionary<string, ResourceQuantity>? a, IDictionary<string, ResourceQuantity> b) =>
        a is not null && a.Count == b.Count && b.All(kv => a.TryGetValue(kv.Key, out var q) && Quantities.Compare(q, kv.Value) == 0);

    [LoggerMessage(Level = LogLevel.Warning, Message = "quota status: retrying after {Error}")]
    private static partial void LogRetry(ILogger logger, string error);
}
