using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class ConfigMapPrinterTests
{
    [Fact]
    public void Cells_ConfigMap_CountsDataAndBinaryData()
    {
        var configMap = new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "cm1", CreationTimestamp = Clock.Ago(seconds: 45) },
            Data = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" },
            BinaryData = new Dictionary<string, byte[]> { ["c"] = [1] },
        };

        Assert.Equal(["cm1", 3L, "45s"], new ConfigMapPrinter().Cells(configMap, Clock.Now));
    }
}
