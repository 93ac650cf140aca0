using k8s.Models;

namespace Flotilla.ApiServer.Printing;

/// <summary>The CONTAINERS and IMAGES cells of workload printers (<c>layoutContainerCells</c>).</summary>
internal static class Containers
{
    public static (string Names, string Images) Layout(IEnumerable<V1Container>? containers)
    {
        var list = containers?.ToList() ?? [];
        return (string.Join(',', list.Select(c => c.Name ?? "")), string.Join(',', list.Select(c => c.Image ?? "")));
    }

    public static (string Names, string Images) Layout(V1PodTemplateSpec? template) =>
        Layout(template?.Spec?.Containers);
}
