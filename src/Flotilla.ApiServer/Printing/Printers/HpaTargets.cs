using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>
/// The TARGETS cell of an autoscaler (<c>formatHPAMetrics</c>): "current/target" per metric, averages marked
/// "(avg)", resources prefixed with their name, the first two shown and the rest counted.
/// </summary>
internal static class HpaTargets
{
    private const int Max = 2;
    private const string Unknown = "<unknown>";

    public static string Format(IList<V2MetricSpec>? specs, IList<V2MetricStatus>? statuses)
    {
        if (specs is null || specs.Count == 0)
        {
            return "<none>";
        }

        var current = statuses ?? [];
        var list = specs.Select((spec, i) => Metric(spec, i < current.Count ? current[i] : null)).ToList();
        var joined = string.Join(", ", list.Take(Max));
        return list.Count > Max ? $"{joined} + {list.Count - Max} more..." : joined;
    }

    private static string Metric(V2MetricSpec spec, V2MetricStatus? status) => spec.Type switch
    {
        "External" => Averaged(spec.External?.Target, status?.External?.Current, status?.External is not null),
        "Pods" => $"{Current(status?.Pods is not null, status?.Pods?.Current?.AverageValue)}/{Quantities.OrNil(spec.Pods?.Target?.AverageValue)}",
        "Object" => Averaged(spec.ObjectProperty?.Target, status?.ObjectProperty?.Current, status?.ObjectProperty is not null),
        "Resource" => Resource(spec.Resource?.Name, spec.Resource?.Target, status?.Resource?.Current, status?.Resource is not null),
        "ContainerResource" => Resource(spec.ContainerResource?.Name, spec.ContainerResource?.Target, status?.ContainerResource?.Current, status?.ContainerResource is not null),
        _ => "<unknown type>",
    };

    // External and object metrics: "current/target (avg)" against an average value, else "current/target".
    private static string Averaged(V2MetricTarget? target, V2MetricValueStatus? current, bool reported)
    {
        if (target?.AverageValue is { } average)
        {
            var value = current?.AverageValue is { } a ? a.ToString() : Unknown;
            return $"{value}/{average} (avg)";
        }

        return $"{Current(reported, current?.Value)}/{Quantities.OrNil(target?.Value)}";
    }

    private static string Resource(string? name, V2MetricTarget? target, V2MetricValueStatus? current, bool reported)
    {
        if (target?.AverageValue is { } average)
        {
            return $"{name}: {Current(reported, current?.AverageValue)}/{average}";
        }

        var utilization = reported && current?.AverageUtilization is { } u ? $"{u}%" : Unknown;
        var wanted = target?.AverageUtilization is { } t ? $"{t}%" : "<auto>";
        return $"{name}: {utilization}/{wanted}";
    }

    // A reported metric whose value is unset prints Go's nil quantity, "<nil>".
    private static string Current(bool reported, ResourceQuantity? value) => reported ? Quantities.OrNil(value) : Unknown;
}
