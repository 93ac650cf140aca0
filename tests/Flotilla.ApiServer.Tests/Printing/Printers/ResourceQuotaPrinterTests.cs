using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class ResourceQuotaPrinterTests
{
    // Upstream's TestPrintResourceQuota.
    [Fact]
    public void Cells_Quota_RequestsAndLimitsSorted()
    {
        var quota = new V1ResourceQuota
        {
            Metadata = new V1ObjectMeta { Name = "test1", CreationTimestamp = Clock.Ago(days: 3650) },
            Status = new V1ResourceQuotaStatus
            {
                Used = new Dictionary<string, ResourceQuantity>
                {
                    ["cpu"] = new("1"),
                    ["memory"] = new("1Gi"),
                    ["pods"] = new("1"),
                    ["services"] = new("1"),
                    ["limits.cpu"] = new("2"),
                    ["limits.memory"] = new("2Gi"),
                },
                Hard = new Dictionary<string, ResourceQuantity>
                {
                    ["services"] = new("10"),
                    ["pods"] = new("10"),
                    ["memory"] = new("10Gi"),
                    ["cpu"] = new("10"),
                    ["limits.memory"] = new("20Gi"),
                    ["limits.cpu"] = new("20"),
                    ["secrets"] = new("5"),
                },
            },
        };

        Assert.Equal(
            ["test1", "cpu: 1/10, memory: 1Gi/10Gi, pods: 1/10, secrets: 0/5, services: 1/10", "limits.cpu: 2/20, limits.memory: 2Gi/20Gi", "10y"],
            new ResourceQuotaPrinter().Cells(quota, Clock.Now));
    }

    [Fact]
    public void Cells_NoStatus_BlankColumns() =>
        Assert.Equal(["", "", "", "<unknown>"], new ResourceQuotaPrinter().Cells(new V1ResourceQuota(), Clock.Now));
}
