using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>ingressclasses: NAME CONTROLLER PARAMETERS AGE, PARAMETERS as "Kind[.apiGroup]/name".</summary>
public sealed class IngressClassPrinter : TablePrinter<V1IngressClass>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        TableColumn.String("Controller", "Controller that is responsible for handling this class"),
        TableColumn.String("Parameters", "A reference to a resource with additional parameters"),
        CommonColumns.Age,
    ];

    protected override IReadOnlyList<object?> Row(V1IngressClass model, DateTimeOffset now)
    {
        var parameters = model.Spec?.Parameters is { } p
            ? p.Kind + (p.ApiGroup is null ? "" : "." + p.ApiGroup) + "/" + p.Name
            : "<none>";
        return [Meta.Name(model.Metadata), model.Spec?.Controller ?? "", parameters, Meta.Age(model.Metadata, now)];
    }
}
