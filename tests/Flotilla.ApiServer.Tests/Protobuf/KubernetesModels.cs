using System.Reflection;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Protobuf;

/// <summary>The KubernetesClient model type of a kind, found by its KubernetesEntity attribute.</summary>
internal static class KubernetesModels
{
    public static Type TypeOf(string apiVersion, string kind) =>
        typeof(V1Pod).Assembly.GetTypes().Single(t =>
            t.GetCustomAttribute<KubernetesEntityAttribute>() is { } e && e.Kind == kind &&
            (e.Group.Length == 0 ? e.ApiVersion : $"{e.Group}/{e.ApiVersion}") == apiVersion);
}
