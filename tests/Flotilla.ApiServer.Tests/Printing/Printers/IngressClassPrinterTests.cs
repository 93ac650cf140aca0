using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class IngressClassPrinterTests
{
    // Upstream's TestPrintIngressClass.
    [Theory]
    [InlineData("customgroup", null, "customgroup/example")]
    [InlineData("customgroup", "example.com", "customgroup.example.com/example")]
    [InlineData(null, null, "<none>")]
    public void Cells_Parameters_KindGroupName(string? kind, string? apiGroup, string expected)
    {
        var ingressClass = new V1IngressClass
        {
            Metadata = new V1ObjectMeta { Name = "test1", CreationTimestamp = Clock.Ago(days: 3651) },
            Spec = new V1IngressClassSpec
            {
                Controller = "example.com/controller",
                Parameters = kind is null ? null : new V1IngressClassParametersReference { Kind = kind, ApiGroup = apiGroup, Name = "example" },
            },
        };

        Assert.Equal(["test1", "example.com/controller", expected, "10y"], new IngressClassPrinter().Cells(ingressClass, Clock.Now));
    }
}
