using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class EndpointsPrinterTests
{
    // Upstream's TestPrintEndpoint.
    public static TheoryData<string, IList<V1EndpointSubset>?, string> Subsets => new()
    {
        { "no subsets", null, "<none>" },
        { "one address one port", [Subset(["127.0.0.1"], 8001)], "127.0.0.1:8001" },
        { "headless without ports", [Subset(["127.0.0.1", "10.0.0.2"])], "127.0.0.1,10.0.0.2" },
        { "more than three", [Subset(["127.0.0.1", "10.0.0.2", "10.0.0.3"], 8001, 8002)], "127.0.0.1:8001,10.0.0.2:8001,10.0.0.3:8001 + 3 more..." },
        { "ipv6 bracketed", [Subset(["fd00::1"], 443)], "[fd00::1]:443" },
        { "subset without addresses", [Subset([], 80)], "" },
        { "across subsets", [Subset(["1.1.1.1"], 80), Subset(["2.2.2.2", "3.3.3.3", "4.4.4.4"], 81)], "1.1.1.1:80,2.2.2.2:81,3.3.3.3:81 + 1 more..." },
    };

    [Theory]
    [MemberData(nameof(Subsets))]
    public void Cells_Subsets_EndpointsColumn(string scenario, IList<V1EndpointSubset>? subsets, string expected)
    {
        var endpoints = new V1Endpoints { Metadata = new V1ObjectMeta { Name = "svc", CreationTimestamp = Clock.Ago(seconds: 12) }, Subsets = subsets };

        Assert.True(new object[] { "svc", expected, "12s" }.SequenceEqual(new EndpointsPrinter().Cells(endpoints, Clock.Now)), scenario);
    }

    private static V1EndpointSubset Subset(string[] ips, params int[] ports) => new()
    {
        Addresses = [.. ips.Select(ip => new V1EndpointAddress { Ip = ip })],
        Ports = [.. ports.Select(p => new Corev1EndpointPort { Port = p })],
    };
}
