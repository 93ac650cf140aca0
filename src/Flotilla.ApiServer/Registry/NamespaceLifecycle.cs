using System.Text.Json;
using Flotilla.Api.Errors;
using Flotilla.Api.Resources;
using Flotilla.Storage;
using k8s.Models;

namespace Flotilla.ApiServer.Registry;

/// <summary>
/// Upstream's NamespaceLifecycle admission: objects are created only in a namespace that exists and is not being
/// deleted. Like upstream's, it looks in the watch cache first and reads the store only for a namespace the cache
/// has not seen (one created a moment ago).
/// </summary>
public sealed class NamespaceLifecycle(IStore store)
{
    private static readonly string NamespacePrefix = ResourceCatalog.Default.Find("", "v1", "namespaces")!.StoragePrefix;
    private Func<string, V1Namespace?>? _cached;

    /// <summary>Where to look first: the namespaces' watch cache, once it exists.</summary>
    public void UseCache(Func<string, V1Namespace?> cached) => _cached = cached;

    public async Task CheckCreateAsync(ResourceInfo resource, string? ns, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (string.IsNullOrEmpty(ns))
        {
            throw StatusException.BadRequest("the server could not find the requested resource: a namespace is required");
        }

        bool terminating;
        if (_cached?.Invoke(NamespacePrefix + ns) is { } known)
        {
            terminating = known.Metadata.DeletionTimestamp is not null || known.Status?.Phase == "Terminating";
        }
        else
        {
            var kv = await store.GetAsync(NamespacePrefix + ns, cancellationToken: cancellationToken)
                ?? throw StatusException.NotFound("", "namespaces", ns);
            terminating = IsTerminating(kv.Value);
        }

        if (terminating)
        {
            throw StatusException.Forbidden(
                resource.Group,
                resource.Plural,
                name,
                $"unable to create new content in namespace {ns} because it is being terminated",
                new StatusCause("NamespaceTerminating", $"namespace {ns} is being terminated", "metadata.namespace"));
        }
    }

    private static bool IsTerminating(byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        return (root.TryGetProperty("metadata", out var meta) && meta.TryGetProperty("deletionTimestamp", out _)) ||
               (root.TryGetProperty("status", out var status) && status.TryGetProperty("phase", out var phase) && phase.GetString() == "Terminating");
    }
}
