using System.Text.Json;
using System.Text.Json.Serialization;
using Flotilla.Api.Resources;
using Flotilla.Api.Serialization;
using Flotilla.Client;
using Flotilla.Client.Informers;
using Flotilla.Client.WorkQueue;
using Flotilla.Controllers.Framework;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Controllers.Namespace;

/// <summary>
/// kube-controller-manager's namespace controller: a Terminating namespace is emptied of every namespaced kind
/// (deletecollection, or list and delete), then loses its <c>kubernetes</c> finalizer through <c>/finalize</c> and
/// goes. While content remains (pods finishing, finalizers pending), its status says what and it is looked at again;
/// the five NamespaceDeletion* / NamespaceContentRemaining / NamespaceFinalizersRemaining conditions read as upstream's.
/// </summary>
public sealed partial class NamespaceController(Lister<V1Namespace> namespaces, IKubernetes client, TimeProvider time, ILogger log)
{
    public const string Name = "namespace-controller";
    public const string KubernetesFinalizer = "kubernetes";

    public WorkQueue<string> Queue { get; } = new(Name, time);

    public static async Task RunAsync(SharedInformerFactory informers, IKubernetes client, int workers, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var namespaces = informers.Informer<V1Namespace>();
        var controller = new NamespaceController(namespaces.Lister, client, time, log);
        using var queue = controller.Queue;
        namespaces.AddEventHandler(new ResourceEventHandler<V1Namespace>
        {
            OnAdd = (ns, _) => controller.Changed(ns),
            OnUpdate = (_, ns) => controller.Changed(ns),
        });
        informers.Start();
        await informers.WaitForCacheSyncAsync(cancellationToken);
        await new ControllerLoop(Name, controller.Queue, controller.SyncAsync, log).RunAsync(workers, cancellationToken);
    }

    /// <summary>The namespaced kinds a namespace can hold and this controller deletes.</summary>
    public static IEnumerable<ResourceInfo> Content(ResourceCatalog catalog) =>
        (catalog ?? throw new ArgumentNullException(nameof(catalog))).Resources.Where(r =>
            r.Namespaced && r.StoredAs is null && !r.Virtual && r.Verbs.Contains("list") && r.Verbs.Contains("delete"));

    internal void Changed(V1Namespace ns)
    {
        if (ns.Metadata.DeletionTimestamp is not null)
        {
            Queue.Add(ns.Metadata.Name);
        }
    }

    public async Task SyncAsync(string name, CancellationToken cancellationToken)
    {
        if (namespaces.Get(name) is not { Metadata.DeletionTimestamp: not null })
        {
            return;
        }

        V1Namespace ns;
        try
        {
            ns = await client.CoreV1.ReadNamespaceAsync(name, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            return;
        }

        if (ns.Metadata.DeletionTimestamp is null || ns.Spec?.Finalizers?.Contains(KubernetesFinalizer) != true)
        {
            return;
        }

        var failures = new List<string>();
        foreach (var resource in Content(ResourceCatalog.Default))
        {
            try
            {
                await DeleteAllAsync(resource, name, cancellationToken);
            }
            catch (k8s.Autorest.HttpOperationException e)
            {
                failures.Add($"{GroupResource(resource)}: {ApiErrors.Message(e)}");
            }
        }

        var (remaining, finalizers, graceSeconds) = await RemainingAsync(name, cancellationToken);
        await SetConditionsAsync(ns, failures, remaining, finalizers, cancellationToken);
        if (failures.Count > 0 || remaining.Count > 0)
        {
            LogRemaining(log, name, string.Join(", ", remaining.Select(r => $"{r.Resource} ({r.Count})")));
            Queue.AddAfter(name, TimeSpan.FromSeconds(Math.Clamp(graceSeconds, 1, 30)));
            return;
        }

        ns.Spec.Finalizers = [.. ns.Spec.Finalizers.Where(f => f != KubernetesFinalizer)];
        var path = $"/api/v1/namespaces/{Uri.EscapeDataString(name)}/finalize";
        await RawApi.SendJsonAsync(client, HttpMethod.Put, path, KubernetesJson.Serialize(ns), "application/json", cancellationToken);
        LogFinalized(log, name);
    }

    private async Task DeleteAllAsync(ResourceInfo resource, string ns, CancellationToken cancellationToken)
    {
        var collection = Collection(resource, ns);
        if (resource.Verbs.Contains("deletecollection"))
        {
            using var _ = await RawApi.SendAsync(client, HttpMethod.Delete, collection, null, cancellationToken);
            return;
        }

        foreach (var item in await ListAsync(collection, cancellationToken))
        {
            try
            {
                using var _ = await RawApi.SendAsync(client, HttpMethod.Delete, $"{collection}/{Uri.EscapeDataString(item.Metadata.Name)}", null, cancellationToken);
            }
            catch (Exception e) when (ApiErrors.IsNotFound(e))
            {
                // Gone meanwhile.
            }
        }
    }

    /// <summary>What is left: kinds with objects, finalizers holding them, and the longest grace period of a pod going.</summary>
    private async Task<(List<(string Resource, int Count)> Remaining, Dictionary<string, int> Finalizers, long GraceSeconds)> RemainingAsync(string ns, CancellationToken cancellationToken)
    {
        var remaining = new List<(string, int)>();
        var finalizers = new Dictionary<string, int>(StringComparer.Ordinal);
        long grace = 0;
        foreach (var resource in Content(ResourceCatalog.Default))
        {
            var items = await ListAsync(Collection(resource, ns), cancellationToken);
            if (items.Count == 0)
            {
                continue;
            }

            remaining.Add((GroupResource(resource), items.Count));
            foreach (var finalizer in items.SelectMany(i => i.Metadata.Finalizers ?? []))
            {
                finalizers[finalizer] = finalizers.GetValueOrDefault(finalizer) + 1;
            }

            grace = Math.Max(grace, items.Max(i => i.Metadata.DeletionGracePeriodSeconds ?? 0));
        }

        return (remaining, finalizers, grace);
    }

    /// <summary>Upstream's deletion conditions, all five, written only when they change.</summary>
    private async Task SetConditionsAsync(V1Namespace ns, List<string> failures, List<(string Resource, int Count)> remaining, Dictionary<string, int> finalizers, CancellationToken cancellationToken)
    {
        var now = Api.Timestamps.Now(time);
        V1NamespaceCondition Condition(string type, bool failed, string okReason, string okMessage, string failReason, string failMessage) =>
            new() { Type = type, Status = failed ? "True" : "False", Reason = failed ? failReason : okReason, Message = failed ? failMessage : okMessage, LastTransitionTime = now };

        var wanted = new[]
        {
            Condition("NamespaceDeletionDiscoveryFailure", false, "ResourcesDiscovered", "All resources successfully discovered", string.Empty, string.Empty),
            Condition("NamespaceDeletionGroupVersionParsingFailure", false, "ParsedGroupVersions", "All legacy kube types successfully parsed", string.Empty, string.Empty),
            Condition("NamespaceDeletionContentFailure", failures.Count > 0, "ContentDeleted", "All content successfully deleted, may be waiting on finalization", "ContentDeletionFailed", $"Failed to delete all resource types, {failures.Count} remaining: {string.Join(", ", failures)}"),
            Condition("NamespaceContentRemaining", remaining.Count > 0, "ContentRemoved", "All content successfully removed", "SomeResourcesRemain", $"Some resources are remaining: {string.Join(", ", remaining.Select(r => $"{r.Resource} has {r.Count} resource instances"))}"),
            Condition("NamespaceFinalizersRemaining", finalizers.Count > 0, "ContentHasNoFinalizers", "All content-preserving finalizers finished", "SomeFinalizersRemain", $"Some content in the namespace has finalizers remaining: {string.Join(", ", finalizers.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} in {f.Value} resource instances"))}"),
        };
        var current = ns.Status?.Conditions ?? [];
        if (wanted.All(w => current.Any(c => c.Type == w.Type && c.Status == w.Status && c.Reason == w.Reason && c.Message == w.Message)))
        {
            return;
        }

        // A condition that did not change keeps its transition time.
        foreach (var w in wanted)
        {
            if (current.FirstOrDefault(c => c.Type == w.Type) is { } had && had.Status == w.Status)
            {
                w.LastTransitionTime = had.LastTransitionTime;
            }
        }

        ns.Status ??= new V1NamespaceStatus();
        ns.Status.Conditions = [.. current.Where(c => wanted.All(w => w.Type != c.Type)), .. wanted];
        var updated = await client.CoreV1.ReplaceNamespaceStatusAsync(ns, ns.Metadata.Name, cancellationToken: cancellationToken);
        ns.Metadata.ResourceVersion = updated.Metadata.ResourceVersion;
    }

    private async Task<List<ObjectMetadata>> ListAsync(string collection, CancellationToken cancellationToken)
    {
        using var response = await RawApi.SendAsync(client, HttpMethod.Get, collection, null, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        return (await JsonSerializer.DeserializeAsync<MetadataList>(body, KubernetesJsonOptions.Value, cancellationToken))?.Items ?? [];
    }

    private static string Collection(ResourceInfo resource, string ns) =>
        ResourcePath.Collection(new GroupVersionResource(resource.Group, resource.Version, resource.Plural), ns);

    private static string GroupResource(ResourceInfo resource) => resource.Group.Length == 0 ? resource.Plural : $"{resource.Plural}.{resource.Group}";

    private sealed class MetadataList
    {
        [JsonPropertyName("items")]
        public List<ObjectMetadata>? Items { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "namespace {Namespace}: content remaining: {Remaining}")]
    private static partial void LogRemaining(ILogger log, string @namespace, string remaining);

    [LoggerMessage(Level = LogLevel.Information, Message = "namespace {Namespace}: empty; finalized")]
    private static partial void LogFinalized(ILogger log, string @namespace);
}
