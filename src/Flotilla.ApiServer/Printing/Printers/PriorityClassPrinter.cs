using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>priorityclasses: NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY.</summary>
public sealed class PriorityClassPrinter : TablePrinter<V1PriorityClass>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        TableColumn.Integer("Value", "value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec."),
        TableColumn.Boolean("Global-Default", "globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority."),
        CommonColumns.Age,
        TableColumn.String("PreemptionPolicy", "preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset."),
    ];

    protected override IReadOnlyList<object?> Row(V1PriorityClass model, DateTimeOffset now) =>
    [
        Meta.Name(model.Metadata),
        (long)(model.Value ?? 0),
        model.GlobalDefault ?? false,
        Meta.Age(model.Metadata, now),
        model.PreemptionPolicy ?? "",
    ];
}
