using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>configmaps: NAME DATA AGE, DATA counting both data and binaryData keys.</summary>
public sealed class ConfigMapPrinter : TablePrinter<V1ConfigMap>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        TableColumn.String("Data", "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process."),
        CommonColumns.Age,
    ];

    protected override IReadOnlyList<object?> Row(V1ConfigMap model, DateTimeOffset now) =>
    [
        Meta.Name(model.Metadata),
        (long)((model.Data?.Count ?? 0) + (model.BinaryData?.Count ?? 0)),
        Meta.Age(model.Metadata, now),
    ];
}
