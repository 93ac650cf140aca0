using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>endpointslices: NAME ADDRESSTYPE PORTS ENDPOINTS AGE, lists cut at three with "+ N more...".</summary>
public sealed class EndpointSlicePrinter : TablePrinter<V1EndpointSlice>
{
    private const int Max = 3;

    // Upstream still takes these descriptions from discovery/v1beta1.
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        TableColumn.String("AddressType", "addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name."),
        TableColumn.String("Ports", "ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. When ports is empty, it indicates that there are no defined ports. When a port is defined with a nil port value, it indicates \"all ports\". Each slice may include a maximum of 100 ports."),
        TableColumn.String("Endpoints", "endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints."),
        CommonColumns.Age,
    ];

    protected override IReadOnlyList<object?> Row(V1EndpointSlice model, DateTimeOffset now)
    {
        // A port without a number means all ports: shown by name, or "*".
        var ports = (model.Ports ?? []).Select(p => p.Port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? p.Name ?? "*");
        var addresses = (model.Endpoints ?? []).SelectMany(e => e.Addresses ?? []);
        return
        [
            Meta.Name(model.Metadata),
            model.AddressType ?? "",
            ListWithMore(ports.ToList()),
            ListWithMore(addresses.ToList()),
            Meta.Age(model.Metadata, now),
        ];
    }

    private static string ListWithMore(List<string> items)
    {
        var joined = string.Join(',', items.Take(Max));
        if (items.Count > Max)
        {
            return $"{joined} + {items.Count - Max} more...";
        }

        return joined.Length == 0 ? "<unset>" : joined;
    }
}
