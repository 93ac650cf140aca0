using k8s;
using k8s.Models;

namespace Flotilla.Client;

/// <summary>
/// client-go's MetaNamespaceKeyFunc: <c>namespace/name</c> for namespaced objects, <c>name</c> for cluster-scoped
/// ones. Informer caches and controllers' work queues share these keys.
/// </summary>
public static class ObjectKeys
{
    public static string Of(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return Of(obj.Metadata?.NamespaceProperty, obj.Metadata?.Name ?? string.Empty);
    }

    public static string Of(string? @namespace, string name) =>
        string.IsNullOrEmpty(@namespace) ? name : @namespace + "/" + name;

    /// <summary>Splits a key into its namespace (empty for cluster-scoped objects) and name.</summary>
    public static (string Namespace, string Name) Split(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (string.Empty, key) : (key[..slash], key[(slash + 1)..]);
    }
}
