using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>jobs: NAME STATUS COMPLETIONS DURATION AGE | CONTAINERS IMAGES SELECTOR.</summary>
public sealed class JobPrinter : TablePrinter<V1Job>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        TableColumn.String("Status", "Status of the job."),
        TableColumn.String("Completions", "The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs."),
        TableColumn.String("Duration", "Time required to complete the job."),
        CommonColumns.Age,
        CommonColumns.Containers,
        CommonColumns.Images,
        TableColumn.String("Selector", JobSelectorDescription, priority: 1),
    ];

    internal const string JobSelectorDescription =
        "A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors";

    protected override IReadOnlyList<object?> Row(V1Job model, DateTimeOffset now)
    {
        var spec = model.Spec;
        var status = model.Status;
        var (names, images) = Containers.Layout(spec?.Template);
        return
        [
            Meta.Name(model.Metadata),
            Status(model),
            Completions(model),
            Duration(status, now),
            Meta.Age(model.Metadata, now),
            names,
            images,
            LabelSelectors.Format(spec?.Selector),
        ];
    }

    // "succeeded/completions"; a job without completions needs one success, "of N" when it runs N in parallel.
    private static string Completions(V1Job job)
    {
        var succeeded = job.Status?.Succeeded ?? 0;
        if (job.Spec?.Completions is { } completions)
        {
            return $"{succeeded}/{completions}";
        }

        var parallelism = job.Spec?.Parallelism ?? 0;
        return parallelism > 1 ? $"{succeeded}/1 of {parallelism}" : $"{succeeded}/1";
    }

    private static string Duration(V1JobStatus? status, DateTimeOffset now)
    {
        if (Timestamps.IsZero(status?.StartTime))
        {
            return "";
        }

        var start = Timestamps.ToOffset(status!.StartTime!.Value);
        var end = Timestamps.IsZero(status.CompletionTime) ? now : Timestamps.ToOffset(status.CompletionTime!.Value);
        return HumanDuration.Format(end - start);
    }

    // Terminal conditions first, then deletion, then the transient ones.
    private static string Status(V1Job job)
    {
        var conditions = job.Status?.Conditions ?? [];
        bool Has(string type) => conditions.FirstOrDefault(c => c.Type == type)?.Status == "True";

        if (Has("Complete"))
        {
            return "Complete";
        }

        if (Has("Failed"))
        {
            return "Failed";
        }

        if (job.Metadata?.DeletionTimestamp is not null)
        {
            return "Terminating";
        }

        return Has("Suspended") ? "Suspended" : Has("FailureTarget") ? "FailureTarget" : "Running";
    }
}
