using System.Text.Json;
using Flotilla.Api.Errors;
using Flotilla.Api.Resources;
using Flotilla.Storage;

namespace Flotilla.ApiServer.Registry;

/// <summary>
/// Upstream's NamespaceLifecycle admission: objects are created only in a namespace that exists and is not being
/// deleted.
/// </summary>
public sealed class NamespaceLifecycle(IStore store)
{
    private static readonly string NamespacePrefix = ResourceCatalog.Default.Find("", "v1", "namespaces")!.StoragePrefix;

    public async Task CheckCreateAsync(ResourceInfo resource, string? ns, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (string.IsNullOrEmpty(ns))
        {
            throw StatusException.BadRequest("the server could not find the requested resource: a namespace is required");
        }

        var kv = await store.GetAsync(NamespacePrefix + ns, cancellationToken: cancellationToken)
            ?? throw StatusException.NotFound("", "namespaces", ns);
        if (IsTerminating(kv.Value))
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
