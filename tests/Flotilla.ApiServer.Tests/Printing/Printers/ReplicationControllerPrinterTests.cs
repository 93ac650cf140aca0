using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class ReplicationControllerPrinterTests
{
    [Fact]
    public void Cells_ReplicationController_MapSelector()
    {
        var rc = new V1ReplicationController
        {
            Metadata = new V1ObjectMeta { Name = "rc1", CreationTimestamp = Clock.Ago(hours: 30) },
            Spec = new V1ReplicationControllerSpec { Replicas = 2, Template = Templates.TwoContainers(), Selector = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" } },
            Status = new V1ReplicationControllerStatus { Replicas = 2, ReadyReplicas = 1 },
        };

        Assert.Equal(
            ["rc1", 2L, 2L, 1L, "30h", "fake-container1,fake-container2", "fake-image1,fake-image2", "a=1,b=2"],
            new ReplicationControllerPrinter().Cells(rc, Clock.Now));
    }

    [Fact]
    public void Cells_NoTemplate_EmptyContainers() =>
        Assert.Equal(["", 0L, 0L, 0L, "<unknown>", "", "", "<none>"], new ReplicationControllerPrinter().Cells(new V1ReplicationController(), Clock.Now));
}
