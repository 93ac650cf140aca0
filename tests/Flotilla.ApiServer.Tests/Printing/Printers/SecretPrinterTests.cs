using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class SecretPrinterTests
{
    // Upstream's TestPrintSecret.
    [Fact]
    public void Cells_Secret_TypeAndKeyCount()
    {
        var printer = new SecretPrinter();
        var secret = new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "secret1", CreationTimestamp = Clock.JustCreated },
            Type = "kubernetes.io/service-account-token",
            Data = new Dictionary<string, byte[]> { ["token"] = "secret data"u8.ToArray() },
        };

        Assert.Equal(["secret1", "kubernetes.io/service-account-token", 1L, "0s"], printer.Cells(secret, Clock.Now));
        secret.Data = null;
        Assert.Equal(["secret1", "kubernetes.io/service-account-token", 0L, "0s"], printer.Cells(secret, Clock.Now));
    }
}
