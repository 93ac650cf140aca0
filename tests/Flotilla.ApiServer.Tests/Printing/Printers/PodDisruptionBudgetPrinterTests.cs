using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class PodDisruptionBudgetPrinterTests
{
    // Upstream's TestPrintPodDisruptionBudget.
    [Fact]
    public void Cells_MinAvailableOrMaxUnavailable_OtherNA()
    {
        var printer = new PodDisruptionBudgetPrinter();
        var min = new V1PodDisruptionBudget
        {
            Metadata = new V1ObjectMeta { Name = "pdb1", CreationTimestamp = Clock.JustCreated },
            Spec = new V1PodDisruptionBudgetSpec { MinAvailable = 22 },
            Status = new V1PodDisruptionBudgetStatus { DisruptionsAllowed = 5 },
        };
        var max = new V1PodDisruptionBudget
        {
            Metadata = new V1ObjectMeta { Name = "pdb2", CreationTimestamp = Clock.JustCreated },
            Spec = new V1PodDisruptionBudgetSpec { MaxUnavailable = "11%" },
            Status = new V1PodDisruptionBudgetStatus { DisruptionsAllowed = 5 },
        };

        Assert.Equal(["pdb1", "22", "N/A", 5L, "0s"], printer.Cells(min, Clock.Now));
        Assert.Equal(["pdb2", "N/A", "11%", 5L, "0s"], printer.Cells(max, Clock.Now));
    }
}
