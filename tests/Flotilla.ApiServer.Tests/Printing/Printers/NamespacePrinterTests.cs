using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class NamespacePrinterTests
{
    // Upstream's TestPrintNamespace.
    [Fact]
    public void Cells_Namespace_PhaseAndAge()
    {
        var printer = new NamespacePrinter();
        var active = new V1Namespace { Metadata = new V1ObjectMeta { Name = "namespace1", CreationTimestamp = Clock.JustCreated }, Status = new V1NamespaceStatus { Phase = "FooStatus" } };

        Assert.Equal(["namespace1", "FooStatus", "0s"], printer.Cells(active, Clock.Now));
        Assert.Equal(["namespace2", "", "<unknown>"], printer.Cells(new V1Namespace { Metadata = new V1ObjectMeta { Name = "namespace2" } }, Clock.Now));
    }
}
