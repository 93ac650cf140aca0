using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>controllerrevisions: NAME CONTROLLER REVISION AGE, CONTROLLER as "kind.group/name".</summary>
public sealed class ControllerRevisionPrinter : TablePrinter<V1ControllerRevision>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        TableColumn.String("Controller", "Controller of the object"),
        TableColumn.String("Revision", "revision indicates the revision of the state represented by Data."),
        CommonColumns.Age,
    ];

    protected override IReadOnlyList<object?> Row(V1ControllerRevision model, DateTimeOffset now) =>
    [
        Meta.Name(model.Metadata),
        Controller(model.Metadata),
        model.Revision ?? 0L,
        Meta.Age(model.Metadata, now),
    ];

    private static string Controller(V1ObjectMeta? metadata)
    {
        var owner = metadata?.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        if (owner is null)
        {
            return "<none>";
        }

        var group = GroupOf(owner.ApiVersion ?? "");
        var kind = owner.Kind ?? "";
        if (group.Length == 0 && kind.Length == 0)
        {
            return owner.Name ?? "";
        }

        var groupKind = group.Length == 0 ? kind : $"{kind}.{group}";
        return $"{groupKind.ToLowerInvariant()}/{owner.Name}";
    }

    /// <summary>The group of an apiVersion ("apps/v1" → "apps", "v1" → ""), as <c>schema.ParseGroupVersion</c>.</summary>
    private static string GroupOf(string apiVersion)
    {
        if (apiVersion.Length == 0 || apiVersion == "/")
        {
            return "";
        }

        return apiVersion.Count(c => c == '/') switch
        {
            0 => "",
            1 => apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)],
            _ => throw new FormatException($"unexpected GroupVersion string: {apiVersion}"),
        };
    }
}
