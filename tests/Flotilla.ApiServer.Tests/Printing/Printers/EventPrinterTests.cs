using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class EventPrinterTests
{
    private static readonly V1ObjectReference Deployment = new() { Kind = "Deployment", Name = "Deployment Name", FieldPath = "spec.containers{foo}" };

    // Upstream's TestPrintEvent, wide (kube-apiserver always prints wide).
    public static TheoryData<string, Corev1Event, object[]> Events => new()
    {
        {
            "timestamps and count",
            new Corev1Event
            {
                Metadata = new V1ObjectMeta { Name = "event2" },
                Source = new V1EventSource { Component = "kubelet", Host = "Node1" },
                InvolvedObject = Deployment,
                Reason = "Event Reason",
                Message = "Message Data",
                FirstTimestamp = Clock.Ago(days: 3),
                LastTimestamp = Clock.Ago(days: 2),
                Count = 6,
                Type = "Warning",
            },
            ["2d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}", "kubelet, Node1", "Message Data", "3d", 6L, "event2"]
        },
        {
            "no first timestamp: event time",
            new Corev1Event { Metadata = new V1ObjectMeta { Name = "event3" }, Source = new V1EventSource { Component = "kubelet", Host = "Node1" }, InvolvedObject = Deployment, Reason = "Event Reason", Message = "Message Data", EventTime = Clock.Ago(days: 3), LastTimestamp = Clock.Ago(days: 3), Count = 1, Type = "Warning" },
            ["3d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}", "kubelet, Node1", "Message Data", "3d", 1L, "event3"]
        },
        {
            "no timestamps or count: singleton",
            new Corev1Event { Metadata = new V1ObjectMeta { Name = "event7" }, Source = new V1EventSource { Component = "kubelet", Host = "Node1" }, InvolvedObject = Deployment, Reason = "Event Reason", Message = "Message Data", EventTime = Clock.Ago(days: 3), Type = "Warning" },
            ["3d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}", "kubelet, Node1", "Message Data", "3d", 1L, "event7"]
        },
        {
            "series",
            new Corev1Event { Metadata = new V1ObjectMeta { Name = "event6" }, Source = new V1EventSource { Component = "kubelet", Host = "Node1" }, InvolvedObject = Deployment, Series = new Corev1EventSeries { Count = 2, LastObservedTime = Clock.Ago(days: 2) }, Reason = "Event Reason", Message = "Message Data", EventTime = Clock.Ago(days: 3), Type = "Warning" },
            ["2d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}", "kubelet, Node1", "Message Data", "3d", 2L, "event6"]
        },
        {
            "empty source: reporting controller and instance",
            new Corev1Event { Metadata = new V1ObjectMeta { Name = "event2" }, ReportingComponent = "kubelet", ReportingInstance = "test", InvolvedObject = Deployment, Reason = "Event Reason", Message = "Message Data", FirstTimestamp = Clock.Ago(days: 3), LastTimestamp = Clock.Ago(days: 2), Count = 6, Type = "Warning" },
            ["2d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}", "kubelet, test", "Message Data", "3d", 6L, "event2"]
        },
        {
            "object without name, message trimmed, source without host",
            new Corev1Event { Metadata = new V1ObjectMeta { Name = "e" }, Source = new V1EventSource { Component = "scheduler" }, InvolvedObject = new V1ObjectReference { Kind = "Node" }, Reason = "R", Message = "  hello \n", FirstTimestamp = Clock.Ago(minutes: 3), Count = 2, Type = "Normal" },
            ["3m", "Normal", "R", "node", "", "scheduler", "hello", "3m", 2L, "e"]
        },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void Cells_Event_MatchesKubectl(string scenario, Corev1Event e, object[] expected) =>
        Assert.True(expected.SequenceEqual(new EventPrinter().Cells(e, Clock.Now)), scenario);

    [Fact]
    public void Columns_MatchUpstream()
    {
        var columns = new EventPrinter().Columns;

        Assert.Equal(["Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message", "First Seen", "Count", "Name"], columns.Select(c => c.Name));
        Assert.Equal([0, 0, 0, 0, 1, 1, 0, 1, 1, 1], columns.Select(c => c.Priority));
        Assert.Equal("name", columns[^1].Format);
    }
}
