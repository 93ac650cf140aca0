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
        if (options.Resource is not { } resource)
        {
            return Collection<T>(options.Namespace);
        }

        var root = resource.Group.Length == 0 ? $"/api/{resource.Version}" : $"/apis/{resource.Group}/{resource.Version}";
        return string.IsNullOrEmpty(options.Namespace)
            ? $"{root}/{resource.Plural}"
            : $"{root}/namespaces/{Uri.EscapeDataString(options.Namespace)}/{resource.Plural}";
    }

    public static string Collection<T>(string? @namespace)
    {
        var entity = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException($"{typeof(T).Name} is not a Kubernetes model (no [KubernetesEntity])");
        var root = string.IsNullOrEmpty(entity.Group) ? $"/api/{entity.ApiVersion}" : $"/apis/{entity.Group}/{entity.ApiVersion}";
        return string.IsNullOrEmpty(@namespace)
            ? $"{root}/{entity.PluralName}"
            : $"{root}/namespaces/{Uri.EscapeDataString(@namespace)}/{entity.PluralName}";
    }
}
