using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>secrets: NAME TYPE DATA AGE.</summary>
public sealed class SecretPrinter : TablePrinter<V1Secret>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        TableColumn.String("Type", "Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types"),
        TableColumn.String("Data", "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4"),
        CommonColumns.Age,
    ];

    // stringData is merged into data on write, so stored secrets carry their keys in data alone.
    protected override IReadOnlyList<object?> Row(V1Secret model, DateTimeOffset now) =>
        [Meta.Name(model.Metadata), model.Type ?? "", (long)(model.Data?.Count ?? 0), Meta.Age(model.Metadata, now)];
}
