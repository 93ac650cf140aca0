using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>cronjobs: NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE | CONTAINERS IMAGES SELECTOR.</summary>
public sealed class CronJobPrinter : TablePrinter<V1CronJob>
{
    // Upstream still takes these descriptions from batch/v1beta1.
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        TableColumn.String("Schedule", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
        TableColumn.String("Timezone", "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones"),
        TableColumn.Boolean("Suspend", "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false."),
        TableColumn.Integer("Active", "A list of pointers to currently running jobs."),
        TableColumn.String("Last Schedule", "Information when was the last time the job was successfully scheduled."),
        CommonColumns.Age,
        CommonColumns.Containers,
        CommonColumns.Images,
        TableColumn.String("Selector", JobPrinter.JobSelectorDescription, priority: 1),
    ];

    protected override IReadOnlyList<object?> Row(V1CronJob model, DateTimeOffset now)
    {
        var spec = model.Spec;
        var jobSpec = spec?.JobTemplate?.Spec;
        var (names, images) = Containers.Layout(jobSpec?.Template);
        var lastSchedule = model.Status?.LastScheduleTime;

        // SUSPEND is typed boolean but upstream sends the strings "True", "False" or "<unset>".
        var suspend = spec?.Suspend switch
        {
            true => "True",
            false => "False",
            null => "<unset>",
        };
        return
        [
            Meta.Name(model.Metadata),
            spec?.Schedule ?? "",
            spec?.TimeZone ?? "<none>",
            suspend,
            (long)(model.Status?.Active?.Count ?? 0),
            lastSchedule is null ? "<none>" : Timestamps.Since(lastSchedule, now),
            Meta.Age(model.Metadata, now),
            names,
            images,
            LabelSelectors.Format(jobSpec?.Selector),
        ];
    }
}
