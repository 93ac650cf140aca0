using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class ControllerRevisionPrinterTests
{
    // Upstream's TestPrintControllerRevision and TestFormatResourceName.
    [Theory]
    [InlineData("apps/v1", "DaemonSet", true, "daemonset.apps/test")]
    [InlineData("v1", "Pod", true, "pod/test")]
    [InlineData("apps/v1", "DaemonSet", false, "<none>")]
    [InlineData("", "", true, "test")]
    public void Cells_Owner_ControllerColumn(string apiVersion, string kind, bool controller, string expected)
    {
        var revision = new V1ControllerRevision
        {
            Metadata = new V1ObjectMeta
            {
                Name = "test1",
                CreationTimestamp = Clock.Ago(days: 5),
                OwnerReferences = [new V1OwnerReference { ApiVersion = apiVersion, Kind = kind, Name = "test", Controller = controller, Uid = "u" }],
            },
            Revision = 1,
        };

        Assert.Equal(["test1", expected, 1L, "5d"], new ControllerRevisionPrinter().Cells(revision, Clock.Now));
    }

    [Fact]
    public void Cells_BadApiVersion_Throws()
    {
        var revision = new V1ControllerRevision
        {
            Metadata = new V1ObjectMeta { OwnerReferences = [new V1OwnerReference { ApiVersion = "a/b/c", Kind = "X", Name = "n", Controller = true }] },
        };

        Assert.Throws<FormatException>(() => new ControllerRevisionPrinter().Cells(revision, Clock.Now));
    }
}
