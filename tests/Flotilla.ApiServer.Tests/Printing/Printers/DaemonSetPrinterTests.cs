using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class DaemonSetPrinterTests
{
    // Upstream's TestPrintDaemonSet, plus a node selector.
    [Fact]
    public void Cells_DaemonSet_CountsNodeSelectorAndWide()
    {
        var template = Templates.TwoContainers();
        var ds = new V1DaemonSet
        {
            Metadata = new V1ObjectMeta { Name = "test1", CreationTimestamp = Clock.JustCreated },
            Spec = new V1DaemonSetSpec { Template = template, Selector = Templates.Selector("foo", "bar") },
            Status = new V1DaemonSetStatus { CurrentNumberScheduled = 2, DesiredNumberScheduled = 3, NumberReady = 1, UpdatedNumberScheduled = 2, NumberAvailable = 0 },
        };

        Assert.Equal(
            ["test1", 3L, 2L, 1L, 2L, 0L, "<none>", "0s", "fake-container1,fake-container2", "fake-image1,fake-image2", "foo=bar"],
            new DaemonSetPrinter().Cells(ds, Clock.Now));

        template.Spec.NodeSelector = new Dictionary<string, string> { ["kubernetes.io/os"] = "linux" };
        Assert.Equal("kubernetes.io/os=linux", new DaemonSetPrinter().Cells(ds, Clock.Now)[6]);
    }

    [Fact]
    public void Columns_MatchUpstream() => Assert.Equal(
        ["Name", "Desired", "Current", "Ready", "Up-to-date", "Available", "Node Selector", "Age", "Containers", "Images", "Selector"],
        new DaemonSetPrinter().Columns.Select(c => c.Name));
}
