using System.Reflection;
using k8s.Models;

namespace Flotilla.Client.Informers;

/// <summary>The REST path of a KubernetesClient model's collection, from its <see cref="KubernetesEntityAttribute"/>.</summary>
public static class ResourcePath
{
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
