using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>core events: LAST SEEN TYPE REASON OBJECT MESSAGE | SUBOBJECT SOURCE FIRST SEEN COUNT NAME.</summary>
public sealed class EventPrinter : TablePrinter<Corev1Event>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.String("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
        TableColumn.String("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
        TableColumn.String("Reason", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
        TableColumn.String("Object", "The object that this event is about."),
        TableColumn.String("Subobject", "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: \"spec.containers{name}\" (where \"name\" refers to the name of the container that triggered the event) or if no container name is specified \"spec.containers[2]\" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.", priority: 1),
        TableColumn.String("Source", "The component reporting this event. Should be a short machine understandable string.", priority: 1),
        TableColumn.String("Message", "A human-readable description of the status of this operation."),
        TableColumn.String("First Seen", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)", priority: 1),
        TableColumn.String("Count", "The number of times this event has occurred.", priority: 1),
        CommonColumns.Name with { Priority = 1 },
    ];

    protected override IReadOnlyList<object?> Row(Corev1Event model, DateTimeOffset now)
    {
        // events.k8s.io/v1 writers set eventTime and series instead of the timestamps and count.
        var firstSeen = Timestamps.IsZero(model.FirstTimestamp)
            ? Timestamps.Since(model.EventTime, now)
            : Timestamps.Since(model.FirstTimestamp, now);
        var lastSeen = Timestamps.IsZero(model.LastTimestamp) ? firstSeen : Timestamps.Since(model.LastTimestamp, now);
        var count = model.Count ?? 0;
        if (model.Series is not null)
        {
            lastSeen = Timestamps.Since(model.Series.LastObservedTime, now);
            count = model.Series.Count ?? 0;
        }
        else if (count == 0)
        {
            count = 1;
        }

        var involved = model.InvolvedObject;
        var kind = (involved?.Kind ?? "").ToLowerInvariant();
        var target = string.IsNullOrEmpty(involved?.Name) ? kind : $"{kind}/{involved.Name}";
        return
        [
            lastSeen,
            model.Type ?? "",
            model.Reason ?? "",
            target,
            involved?.FieldPath ?? "",
            Source(model),
            (model.Message ?? "").Trim(),
            firstSeen,
            (long)count,
            Meta.Name(model.Metadata),
        ];
    }

    // "component, host", falling back to the reporting controller and instance of newer writers.
    private static string Source(Corev1Event e)
    {
        var component = FirstNonEmpty(e.Source?.Component, e.ReportingComponent);
        var instance = FirstNonEmpty(e.Source?.Host, e.ReportingInstance);
        return instance.Length == 0 ? component : $"{component}, {instance}";
    }

    private static string FirstNonEmpty(string? first, string? second) =>
        !string.IsNullOrEmpty(first) ? first : second ?? "";
}
