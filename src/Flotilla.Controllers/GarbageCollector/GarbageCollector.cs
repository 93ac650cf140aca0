using System.Net;
using System.Text.Json;
using Flotilla.Api.Resources;
using Flotilla.Client;
using Flotilla.Client.Informers;
using Flotilla.Client.WorkQueue;
using Flotilla.Controllers.Framework;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;

namespace Flotilla.Controllers.GarbageCollector;

/// <summary>
/// kube-controller-manager's garbage collector. An owner graph (<see cref="OwnerGraph"/>) follows every kind through
/// metadata-only informers. When an owner goes, its dependents are deleted (background); an owner deleted in the
/// foreground keeps its <c>foregroundDeletion</c> finalizer until the dependents that block it are gone (they are
/// deleted in the foreground in turn); an owner deleted with the <c>orphan</c> finalizer loses its references from
/// its dependents, then the finalizer. A dependent is judged on a live read of each owner, never on a cache: an owner
/// that is gone or was replaced (another UID) is dangling, and a dependent whose owners all dangle is collected.
/// </summary>
public sealed partial class GarbageCollector
{
    public const string Name = "generic-garbage-collector";

    // Upstream ignores events: they are many, short-lived and own nothing.
    private static readonly HashSet<(string Group, string Plural)> Ignored = [("", "events"), ("events.k8s.io", "events")];

    private readonly IKubernetes _client;
    private readonly ILogger _log;

    public GarbageCollector(IKubernetes client, TimeProvider time, ILogger log)
    {
        _client = client;
        _log = log;
        DeleteQueue = new WorkQueue<string>("garbage_collector_attempt_to_delete", time);
        OrphanQueue = new WorkQueue<string>("garbage_collector_attempt_to_orphan", time);
        Graph = new OwnerGraph
        {
            AttemptToDelete = node => DeleteQueue.Add(node.Identity.Uid),
            AttemptToOrphan = node => OrphanQueue.Add(node.Identity.Uid),
        };
    }

    public OwnerGraph Graph { get; }

    public WorkQueue<string> DeleteQueue { get; }

    public WorkQueue<string> OrphanQueue { get; }

    /// <summary>The kinds the collector follows: every served kind that can be listed, watched and deleted.</summary>
    public static IEnumerable<ResourceInfo> Monitored(ResourceCatalog catalog) =>
        (catalog ?? throw new ArgumentNullException(nameof(catalog))).Resources.Where(r =>
            r.StoredAs is null && !r.Virtual && !Ignored.Contains((r.Group, r.Plural)) &&
            r.Verbs.Contains("watch") && r.Verbs.Contains("list") && r.Verbs.Contains("delete"));

    public static async Task RunAsync(SharedInformerFactory informers, IKubernetes client, int workers, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var collector = new GarbageCollector(client, time, log);
        using var deletes = collector.DeleteQueue;
        using var orphans = collector.OrphanQueue;
        var handler = new ResourceEventHandler<ObjectMetadata>
        {
            OnAdd = (obj, _) => collector.Graph.Upsert(obj),
            OnUpdate = (_, obj) => collector.Graph.Upsert(obj),
            OnDelete = collector.Graph.Remove,
        };
        foreach (var resource in Monitored(ResourceCatalog.Default))
        {
            informers.Informer<ObjectMetadata>(new InformerOptions { Resource = new GroupVersionResource(resource.Group, resource.Version, resource.Plural) }).AddEventHandler(handler);
        }

        informers.Start();
        await informers.WaitForCacheSyncAsync(cancellationToken);
        await Task.WhenAll(
            new ControllerLoop(Name, deletes, collector.AttemptToDeleteAsync, log).RunAsync(workers, cancellationToken),
            new ControllerLoop(Name, orphans, collector.AttemptToOrphanAsync, log).RunAsync(workers, cancellationToken));
    }

    /// <summary>Upstream attemptToDeleteItem: deletes the object if all its owners dangle, finishes foreground deletions.</summary>
    public async Task AttemptToDeleteAsync(string uid, CancellationToken cancellationToken)
    {
        var node = Graph.Get(uid);
        if (node is null)
        {
            return;
        }

        var (identity, isVirtual, deletingDependents, beingDeleted) = Graph.Read(() => (node.Identity, node.Virtual, node.DeletingDependents, node.BeingDeleted));
        if (isVirtual)
        {
            // An owner no informer has shown: its dependents are judged on live reads of it.
            foreach (var dependent in Graph.Read(() => node.Dependents.ToList()))
            {
                DeleteQueue.Add(dependent.Identity.Uid);
            }

            return;
        }

        if (deletingDependents)
        {
            await FinishForegroundAsync(node, identity, cancellationToken);
            return;
        }

        if (beingDeleted)
        {
            return;
        }

        var live = await GetAsync(identity, cancellationToken);
        if (live is null || live.Metadata.Uid != identity.Uid || live.Metadata.DeletionTimestamp is not null)
        {
            return;  // gone, replaced, or on its way out: its own delete event follows
        }

        var owners = live.Metadata.OwnerReferences ?? [];
        if (owners.Count == 0)
        {
            return;
        }

        var solid = new List<k8s.Models.V1OwnerReference>();
        var dangling = new List<k8s.Models.V1OwnerReference>();
        var waiting = new List<k8s.Models.V1OwnerReference>();
        foreach (var owner in owners)
        {
            var found = await GetAsync(new ObjectIdentity(owner.ApiVersion, owner.Kind, identity.Namespace, owner.Name, owner.Uid), cancellationToken);
            if (found is null || found.Metadata.Uid != owner.Uid)
            {
                dangling.Add(owner);
            }
            else if (found.Metadata.DeletionTimestamp is not null && (found.Metadata.Finalizers ?? []).Contains(OwnerGraph.ForegroundFinalizer))
            {
                waiting.Add(owner);
            }
            else
            {
                solid.Add(owner);
            }
        }

        if (solid.Count > 0)
        {
            if (dangling.Count + waiting.Count > 0)
            {
                // It stays for its solid owners; the others no longer own it.
                LogRemoveOwners(_log, identity.ToString(), string.Join(", ", dangling.Concat(waiting).Select(o => o.Uid)));
                await PatchAsync(identity, RemoveOwnersPatch(dangling.Concat(waiting).Select(o => o.Uid), identity.Uid), cancellationToken);
            }

            return;
        }

        var finalizers = live.Metadata.Finalizers ?? [];
        var policy = finalizers.Contains(OwnerGraph.OrphanFinalizer) ? "Orphan"
            : finalizers.Contains(OwnerGraph.ForegroundFinalizer) ? "Foreground"
            : waiting.Count > 0 && Graph.Read(() => node.Dependents.Count) > 0 ? "Foreground"
            : "Background";
        LogDelete(_log, identity.ToString(), policy);
        await DeleteAsync(identity, policy, cancellationToken);
    }

    /// <summary>Upstream attemptToOrphan: the owner's dependents forget it, then it loses its orphan finalizer.</summary>
    public async Task AttemptToOrphanAsync(string uid, CancellationToken cancellationToken)
    {
        var node = Graph.Get(uid);
        if (node is null)
        {
            return;
        }

        var (identity, dependents) = Graph.Read(() => (node.Identity, node.Dependents.Select(d => d.Identity).ToList()));
        await Task.WhenAll(dependents.Select(d => PatchAsync(d, RemoveOwnersPatch([uid], d.Uid), cancellationToken)));
        LogOrphaned(_log, identity.ToString(), dependents.Count);
        await RemoveFinalizerAsync(identity, OwnerGraph.OrphanFinalizer, cancellationToken);
    }

    private async Task FinishForegroundAsync(ObjectNode node, ObjectIdentity identity, CancellationToken cancellationToken)
    {
        var blocking = Graph.Read(() => node.BlockingDependents().Select(d => (d.Identity.Uid, d.BeingDeleted)).ToList());
        if (blocking.Count == 0)
        {
            LogForegroundDone(_log, identity.ToString());
            await RemoveFinalizerAsync(identity, OwnerGraph.ForegroundFinalizer, cancellationToken);
            return;
        }

        foreach (var (dependent, beingDeleted) in blocking)
        {
            if (!beingDeleted)
            {
                DeleteQueue.Add(dependent);
            }
        }
    }

    private async Task<ObjectMetadata?> GetAsync(ObjectIdentity identity, CancellationToken cancellationToken)
    {
        if (Path(identity) is not { } path)
        {
            return null;  // a kind this server does not serve cannot exist
        }

        try
        {
            using var response = await RawApi.SendAsync(_client, HttpMethod.Get, path, null, cancellationToken);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await JsonSerializer.DeserializeAsync<ObjectMetadata>(body, Api.Serialization.KubernetesJsonOptions.Value, cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task DeleteAsync(ObjectIdentity identity, string policy, CancellationToken cancellationToken)
    {
        var options = JsonSerializer.Serialize(new { kind = "DeleteOptions", apiVersion = "v1", propagationPolicy = policy, preconditions = new { uid = identity.Uid } });
        await IgnoringGoneAsync(() => RawApi.SendJsonAsync(_client, HttpMethod.Delete, Path(identity)!, options, "application/json", cancellationToken));
    }

    private Task PatchAsync(ObjectIdentity identity, string patch, CancellationToken cancellationToken) =>
        Path(identity) is { } path
            ? IgnoringGoneAsync(() => RawApi.SendJsonAsync(_client, HttpMethod.Patch, path, patch, "application/strategic-merge-patch+json", cancellationToken))
            : Task.CompletedTask;

    private async Task RemoveFinalizerAsync(ObjectIdentity identity, string finalizer, CancellationToken cancellationToken)
    {
        var live = await GetAsync(identity, cancellationToken);
        if (live is null || live.Metadata.Uid != identity.Uid || !(live.Metadata.Finalizers ?? []).Contains(finalizer))
        {
            return;
        }

        // A merge patch of the whole list, guarded by the resourceVersion read: a finalizer added meanwhile is kept.
        var patch = JsonSerializer.Serialize(new { metadata = new { finalizers = live.Metadata.Finalizers!.Where(f => f != finalizer).ToList(), resourceVersion = live.Metadata.ResourceVersion } });
        await IgnoringGoneAsync(() => RawApi.SendJsonAsync(_client, HttpMethod.Patch, Path(identity)!, patch, "application/merge-patch+json", cancellationToken));
    }

    private static string RemoveOwnersPatch(IEnumerable<string> ownerUids, string uid) =>
        JsonSerializer.Serialize(new { metadata = new { ownerReferences = ownerUids.Select(o => new Dictionary<string, string> { ["$patch"] = "delete", ["uid"] = o }).ToList(), uid } });

    private static async Task IgnoringGoneAsync(Func<Task> request)
    {
        try
        {
            await request();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.NotFound)
        {
            // Gone already: nothing left to do.
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.Conflict && e.Response.Content.Contains("Precondition failed", StringComparison.Ordinal))
        {
            // Replaced by a new object of the same name: not the one judged.
        }
    }

    /// <summary>The object's REST path, from its kind; null for a kind the catalogue does not know.</summary>
    private static string? Path(ObjectIdentity identity)
    {
        var slash = identity.ApiVersion.IndexOf('/', StringComparison.Ordinal);
        var (group, version) = slash < 0 ? (string.Empty, identity.ApiVersion) : (identity.ApiVersion[..slash], identity.ApiVersion[(slash + 1)..]);
        var resource = ResourceCatalog.Default.FindKind(group, version, identity.Kind)
            ?? ResourceCatalog.Default.Resources.FirstOrDefault(r => r.Group == group && r.Kind == identity.Kind && r.StoredAs is null);
        if (resource is null)
        {
            return null;
        }

        var collection = ResourcePath.Collection(new GroupVersionResource(resource.Group, resource.Version, resource.Plural), resource.Namespaced ? identity.Namespace : null);
        return $"{collection}/{Uri.EscapeDataString(identity.Name)}";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "garbage collector: deleting {Object} (its owners are gone or going), propagation {Policy}")]
    private static partial void LogDelete(ILogger log, string @object, string policy);

    [LoggerMessage(Level = LogLevel.Information, Message = "garbage collector: {Object} keeps its other owners; removing references to {Owners}")]
    private static partial void LogRemoveOwners(ILogger log, string @object, string owners);

    [LoggerMessage(Level = LogLevel.Information, Message = "garbage collector: orphaned {Count} dependents of {Object}")]
    private static partial void LogOrphaned(ILogger log, string @object, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "garbage collector: the dependents of {Object} are gone; removing its foregroundDeletion finalizer")]
    private static partial void LogForegroundDone(ILogger log, string @object);
}
