using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>leases: NAME HOLDER AGE.</summary>
public sealed class LeasePrinter : TablePrinter<V1Lease>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        TableColumn.String("Holder", "holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field."),
        CommonColumns.Age,
    ];

    protected override IReadOnlyList<object?> Row(V1Lease model, DateTimeOffset now) =>
        [Meta.Name(model.Metadata), model.Spec?.HolderIdentity ?? "", Meta.Age(model.Metadata, now)];
}
