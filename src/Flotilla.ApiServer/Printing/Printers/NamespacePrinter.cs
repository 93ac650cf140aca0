using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>namespaces: NAME STATUS AGE.</summary>
public sealed class NamespacePrinter : TablePrinter<V1Namespace>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        TableColumn.String("Status", "The status of the namespace"),
        CommonColumns.Age,
    ];

    protected override IReadOnlyList<object?> Row(V1Namespace model, DateTimeOffset now) =>
        [Meta.Name(model.Metadata), model.Status?.Phase ?? "", Meta.Age(model.Metadata, now)];
}
