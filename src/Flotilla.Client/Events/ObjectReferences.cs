using System.Reflection;
using k8s;
using k8s.Models;

namespace Flotilla.Client.Events;

/// <summary>References to objects, as client-go's reference.GetReference makes them.</summary>
public static class ObjectReferences
{
    /// <summary>
    /// Kind and apiVersion come from the object or, where it leaves them empty (typed objects made in code, or decoded
    /// from a list), from its model type — as upstream looks them up in the scheme.
    /// </summary>
    public static V1ObjectReference For(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var kind = NonEmpty(obj.Kind);
        var apiVersion = NonEmpty(obj.ApiVersion);
        if ((kind is null || apiVersion is null) && obj.GetType().GetCustomAttribute<KubernetesEntityAttribute>() is { } entity)
        {
            kind ??= entity.Kind;
            apiVersion ??= string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}";
        }

        var meta = obj.Metadata;
        return new V1ObjectReference
        {
            Kind = kind,
            ApiVersion = apiVersion,
            NamespaceProperty = NonEmpty(meta?.NamespaceProperty),
            Name = meta?.Name,
            Uid = meta?.Uid,
            ResourceVersion = meta?.ResourceVersion,
        };
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
