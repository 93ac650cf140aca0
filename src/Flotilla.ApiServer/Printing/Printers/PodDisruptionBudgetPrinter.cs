using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>poddisruptionbudgets: NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE.</summary>
public sealed class PodDisruptionBudgetPrinter : TablePrinter<V1PodDisruptionBudget>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        TableColumn.String("Min Available", "The minimum number of pods that must be available."),
        TableColumn.String("Max Unavailable", "The maximum number of pods that may be unavailable."),
        TableColumn.Integer("Allowed Disruptions", "Calculated number of pods that may be disrupted at this time."),
        CommonColumns.Age,
    ];

    protected override IReadOnlyList<object?> Row(V1PodDisruptionBudget model, DateTimeOffset now) =>
    [
        Meta.Name(model.Metadata),
        model.Spec?.MinAvailable?.ToString() ?? "N/A",
        model.Spec?.MaxUnavailable?.ToString() ?? "N/A",
        (long)(model.Status?.DisruptionsAllowed ?? 0),
        Meta.Age(model.Metadata, now),
    ];
}
