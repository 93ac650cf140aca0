using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class ReplicaSetPrinterTests
{
    [Fact]
    public void Cells_ReplicaSet_CountsAndWide()
    {
        var rs = new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { Name = "web-5d8f", CreationTimestamp = Clock.Ago(minutes: 4, seconds: 7) },
            Spec = new V1ReplicaSetSpec { Replicas = 3, Template = Templates.TwoContainers(), Selector = Templates.Selector("app", "web") },
            Status = new V1ReplicaSetStatus { Replicas = 3, ReadyReplicas = 2 },
        };

        Assert.Equal(
            ["web-5d8f", 3L, 3L, 2L, "4m7s", "fake-container1,fake-container2", "fake-image1,fake-image2", "app=web"],
            new ReplicaSetPrinter().Cells(rs, Clock.Now));
    }

    [Fact]
    public void Columns_CountsAreIntegers() =>
        Assert.Equal(["string", "integer", "integer", "integer", "string", "string", "string", "string"], new ReplicaSetPrinter().Columns.Select(c => c.Type));
}
