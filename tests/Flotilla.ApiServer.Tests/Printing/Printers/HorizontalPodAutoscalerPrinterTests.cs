using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class HorizontalPodAutoscalerPrinterTests
{
    private static readonly ResourceQuantity Target = new("100m");
    private static readonly ResourceQuantity Current = new("50m");

    // Upstream's TestPrintHPA.
    public static TheoryData<string, IList<V2MetricSpec>?, IList<V2MetricStatus>?, string> Metrics => new()
    {
        { "no metrics", null, null, "<none>" },
        { "external average, no current", [External(average: true)], null, "<unknown>/100m (avg)" },
        { "external average", [External(average: true)], [new() { Type = "External", External = new() { Current = new() { AverageValue = Current } } }], "50m/100m (avg)" },
        { "external value, no current", [External(average: false)], null, "<unknown>/100m" },
        { "external value", [External(average: false)], [new() { Type = "External", External = new() { Current = new() { Value = Current } } }], "50m/100m" },
        { "pods, no current", [Pods()], null, "<unknown>/100m" },
        { "pods", [Pods()], [new() { Type = "Pods", Pods = new() { Current = new() { AverageValue = Current } } }], "50m/100m" },
        { "object, no current", [ObjectMetric()], null, "<unknown>/100m" },
        { "object", [ObjectMetric()], [new() { Type = "Object", ObjectProperty = new() { Current = new() { Value = Current } } }], "50m/100m" },
        { "resource value, no current", [Resource(utilization: null)], null, "cpu: <unknown>/100m" },
        { "resource value", [Resource(utilization: null)], [ResourceStatus(average: Current)], "cpu: 50m/100m" },
        { "resource utilization, no current", [Resource(utilization: 80)], null, "cpu: <unknown>/80%" },
        { "resource utilization", [Resource(utilization: 80)], [ResourceStatus(utilization: 50)], "cpu: 50%/80%" },
        { "container resource utilization", [ContainerResource(80)], [new() { Type = "ContainerResource", ContainerResource = new() { Name = "cpu", Container = "app", Current = new() { AverageUtilization = 50 } } }], "cpu: 50%/80%" },
        { "reported without value prints nil", [Pods()], [new() { Type = "Pods", Pods = new() { Current = new() } }], "<nil>/100m" },
        {
            "more than two metrics",
            [Resource(utilization: 80), Pods(), Resource(utilization: null), External(average: false)],
            [ResourceStatus(utilization: 50), new() { Type = "Pods", Pods = new() { Current = new() { AverageValue = Current } } }],
            "cpu: 50%/80%, 50m/100m + 2 more..."
        },
        { "unknown type", [new() { Type = "Bogus" }], null, "<unknown type>" },
    };

    [Theory]
    [MemberData(nameof(Metrics))]
    public void Cells_Metrics_TargetsColumn(string scenario, IList<V2MetricSpec>? specs, IList<V2MetricStatus>? statuses, string targets)
    {
        var hpa = new V2HorizontalPodAutoscaler
        {
            Metadata = new V1ObjectMeta { Name = "some-hpa" },
            Spec = new V2HorizontalPodAutoscalerSpec
            {
                ScaleTargetRef = new V2CrossVersionObjectReference { Kind = "ReplicationController", Name = "some-rc" },
                MinReplicas = specs is null ? null : 2,
                MaxReplicas = 10,
                Metrics = specs,
            },
            Status = new V2HorizontalPodAutoscalerStatus { CurrentReplicas = 4, DesiredReplicas = 5, CurrentMetrics = statuses },
        };

        var expected = new object[] { "some-hpa", "ReplicationController/some-rc", targets, specs is null ? "<unset>" : "2", 10L, 4L, "<unknown>" };
        Assert.True(expected.SequenceEqual(new HorizontalPodAutoscalerPrinter().Cells(hpa, Clock.Now)), scenario);
    }

    private static V2MetricSpec External(bool average) => new()
    {
        Type = "External",
        External = new V2ExternalMetricSource
        {
            Metric = new V2MetricIdentifier { Name = "some-external-metric" },
            Target = average ? new V2MetricTarget { Type = "AverageValue", AverageValue = Target } : new V2MetricTarget { Type = "Value", Value = Target },
        },
    };

    private static V2MetricSpec Pods() => new()
    {
        Type = "Pods",
        Pods = new V2PodsMetricSource { Metric = new V2MetricIdentifier { Name = "some-pods-metric" }, Target = new V2MetricTarget { Type = "AverageValue", AverageValue = Target } },
    };

    private static V2MetricSpec ObjectMetric() => new()
    {
        Type = "Object",
        ObjectProperty = new V2ObjectMetricSource
        {
            DescribedObject = new V2CrossVersionObjectReference { Kind = "Service", Name = "some-service" },
            Metric = new V2MetricIdentifier { Name = "some-service-metric" },
            Target = new V2MetricTarget { Type = "Value", Value = Target },
        },
    };

    private static V2MetricSpec Resource(int? utilization) => new()
    {
        Type = "Resource",
        Resource = new V2ResourceMetricSource
        {
            Name = "cpu",
            Target = utilization is null ? new V2MetricTarget { Type = "AverageValue", AverageValue = Target } : new V2MetricTarget { Type = "Utilization", AverageUtilization = utilization },
        },
    };

    private static V2MetricSpec ContainerResource(int utilization) => new()
    {
        Type = "ContainerResource",
        ContainerResource = new V2ContainerResourceMetricSource { Name = "cpu", Container = "app", Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = utilization } },
    };

    private static V2MetricStatus ResourceStatus(ResourceQuantity? average = null, int? utilization = null) => new()
    {
        Type = "Resource",
        Resource = new V2ResourceMetricStatus { Name = "cpu", Current = new V2MetricValueStatus { AverageValue = average, AverageUtilization = utilization } },
    };
}
