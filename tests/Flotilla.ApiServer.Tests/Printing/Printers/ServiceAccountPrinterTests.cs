using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class ServiceAccountPrinterTests
{
    // Upstream's TestPrintServiceAccount.
    [Fact]
    public void Cells_ServiceAccount_SecretCount()
    {
        var printer = new ServiceAccountPrinter();
        var sa = new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "sa1", CreationTimestamp = Clock.JustCreated }, Secrets = [] };

        Assert.Equal(["sa1", 0L, "0s"], printer.Cells(sa, Clock.Now));
        sa.Secrets = [new V1ObjectReference { Name = "Secret1" }, new V1ObjectReference { Name = "Secret2" }];
        Assert.Equal(["sa1", 2L, "0s"], printer.Cells(sa, Clock.Now));
    }
}
