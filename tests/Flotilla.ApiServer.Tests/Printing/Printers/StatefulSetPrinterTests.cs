using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class StatefulSetPrinterTests
{
    [Fact]
    public void Cells_StatefulSet_ReadyOfDesired()
    {
        var sts = new V1StatefulSet
        {
            Metadata = new V1ObjectMeta { Name = "db", CreationTimestamp = Clock.Ago(days: 400) },
            Spec = new V1StatefulSetSpec { Replicas = 3, Template = Templates.TwoContainers() },
            Status = new V1StatefulSetStatus { Replicas = 3, ReadyReplicas = 2 },
        };

        Assert.Equal(["db", "2/3", "400d", "fake-container1,fake-container2", "fake-image1,fake-image2"], new StatefulSetPrinter().Cells(sts, Clock.Now));
        Assert.Equal(["Name", "Ready", "Age", "Containers", "Images"], new StatefulSetPrinter().Columns.Select(c => c.Name));
    }
}
