using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class LeasePrinterTests
{
    [Fact]
    public void Cells_Lease_HolderOrBlank()
    {
        var printer = new LeasePrinter();
        var held = new V1Lease { Metadata = new V1ObjectMeta { Name = "kube-scheduler", CreationTimestamp = Clock.Ago(minutes: 2) }, Spec = new V1LeaseSpec { HolderIdentity = "node1_1234" } };

        Assert.Equal(["kube-scheduler", "node1_1234", "2m"], printer.Cells(held, Clock.Now));
        Assert.Equal(["free", "", "<unknown>"], printer.Cells(new V1Lease { Metadata = new V1ObjectMeta { Name = "free" } }, Clock.Now));
    }
}
