using System.Reflection;
using k8s.Models;

namespace Flotilla.Client.Informers;

/// <summary>
/// The REST path of a collection: the one <see cref="InformerOptions.Resource"/> names, or a KubernetesClient
/// model's, from its <see cref="KubernetesEntityAttribute"/>.
/// </summary>
public static class ResourcePath
{
    public static string Collection<T>(InformerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Resource is { } resource ? Collection(resource, options.Namespace) : Collection<T>(options.Namespace);
    }

    public static string Collection<T>(string? @namespace)
    {
        var entity = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException($"{typeof(T).Name} is not a Kubernetes model (no [KubernetesEntity])");
        return Collection(new GroupVersionResource(entity.Group ?? string.Empty, entity.ApiVersion, entity.PluralName), @namespace);
    }

    /// <summary><c>/api/v1[/namespaces/ns]/plural</c> or <c>/apis/group/version[/namespaces/ns]/plural</c>.</summary>
    public static string Collection(GroupVersionResource resource, string? @namespace)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var root = string.IsNullOrEmpty(resource.Group) ? $"/api/{resource.Version}" : $"/apis/{resource.Group}/{resource.Version}";
        return string.IsNullOrEmpty(@namespace)
            ? $"{root}/{resource.Plural}"
            : $"{root}/namespaces/{Uri.EscapeDataString(@namespace)}/{resource.Plural}";
    }
}
