using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class PriorityClassPrinterTests
{
    // Upstream's TestPrintPriorityClass, wide.
    [Fact]
    public void Cells_PriorityClass_ValueDefaultAndPolicy()
    {
        var printer = new PriorityClassPrinter();
        var pc1 = new V1PriorityClass { Metadata = new V1ObjectMeta { Name = "pc1", CreationTimestamp = Clock.Ago(days: 3650) }, Value = 1 };
        var pc2 = new V1PriorityClass
        {
            Metadata = new V1ObjectMeta { Name = "pc2", CreationTimestamp = Clock.Ago(days: 3650) },
            Value = 1000000000,
            GlobalDefault = true,
            PreemptionPolicy = "Never",
        };

        Assert.Equal(["pc1", 1L, false, "10y", ""], printer.Cells(pc1, Clock.Now));
        Assert.Equal(["pc2", 1000000000L, true, "10y", "Never"], printer.Cells(pc2, Clock.Now));
        Assert.Equal(["string", "integer", "boolean", "string", "string"], printer.Columns.Select(c => c.Type));
    }
}
