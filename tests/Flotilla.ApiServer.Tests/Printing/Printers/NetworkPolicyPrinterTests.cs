using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class NetworkPolicyPrinterTests
{
    [Fact]
    public void Cells_PodSelector_FormattedOrNone()
    {
        var printer = new NetworkPolicyPrinter();
        var all = new V1NetworkPolicy { Metadata = new V1ObjectMeta { Name = "deny-all" }, Spec = new V1NetworkPolicySpec { PodSelector = new V1LabelSelector() } };
        var web = new V1NetworkPolicy { Metadata = new V1ObjectMeta { Name = "web" }, Spec = new V1NetworkPolicySpec { PodSelector = Templates.Selector("app", "web") } };

        Assert.Equal(["deny-all", "<none>", "<unknown>"], printer.Cells(all, Clock.Now));
        Assert.Equal(["web", "app=web", "<unknown>"], printer.Cells(web, Clock.Now));
        Assert.Equal(["Name", "Pod-Selector", "Age"], printer.Columns.Select(c => c.Name));
    }
}
