using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class EndpointSlicePrinterTests
{
    // Upstream's TestPrintEndpointSlice.
    [Fact]
    public void Cells_FewPortsAndEndpoints_Listed()
    {
        var slice = Slice("IPv4", [Port(80, null), Port(null, "https"), Port(null, null)], ["10.1.2.3", "2001:db8::1234:5678"]);

        Assert.Equal(["abcslice.123", "IPv4", "80,https,*", "10.1.2.3,2001:db8::1234:5678", "12m"], new EndpointSlicePrinter().Cells(slice, Clock.Now));
    }

    [Fact]
    public void Cells_ManyPortsAndEndpoints_Counted()
    {
        var slice = Slice("IPv6", [Port(80, null), Port(443, null), Port(8080, null), Port(8443, null)], ["2001:db8::1", "2001:db8::2", "2001:db8::3", "2001:db8::4", "2001:db8::5"]);

        Assert.Equal(
            ["abcslice.123", "IPv6", "80,443,8080 + 1 more...", "2001:db8::1,2001:db8::2,2001:db8::3 + 2 more...", "12m"],
            new EndpointSlicePrinter().Cells(slice, Clock.Now));
    }

    [Fact]
    public void Cells_NoPortsOrEndpoints_Unset() =>
        Assert.Equal(["abcslice.123", "FQDN", "<unset>", "<unset>", "12m"], new EndpointSlicePrinter().Cells(Slice("FQDN", [], []), Clock.Now));

    private static V1EndpointSlice Slice(string addressType, IList<Discoveryv1EndpointPort> ports, string[] addresses) => new()
    {
        Metadata = new V1ObjectMeta { Name = "abcslice.123", CreationTimestamp = Clock.Ago(minutes: 12) },
        AddressType = addressType,
        Ports = ports,
        Endpoints = [.. addresses.Select(a => new V1Endpoint { Addresses = [a] })],
    };

    private static Discoveryv1EndpointPort Port(int? port, string? name) => new() { Port = port, Name = name };
}
