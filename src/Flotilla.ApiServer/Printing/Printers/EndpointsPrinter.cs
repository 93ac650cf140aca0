using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>endpoints: NAME ENDPOINTS AGE, ENDPOINTS the first three "ip:port" and a count of the rest.</summary>
public sealed class EndpointsPrinter : TablePrinter<V1Endpoints>
{
    private const int Max = 3;

    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        TableColumn.String("Endpoints", "The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service."),
        CommonColumns.Age,
    ];

    protected override IReadOnlyList<object?> Row(V1Endpoints model, DateTimeOffset now) =>
        [Meta.Name(model.Metadata), Format(model.Subsets), Meta.Age(model.Metadata, now)];

    // Only ready addresses are listed; a headless service without ports lists bare IPs.
    private static string Format(IList<V1EndpointSubset>? subsets)
    {
        if (subsets is null || subsets.Count == 0)
        {
            return "<none>";
        }

        var list = new List<string>();
        var more = false;
        var count = 0;
        foreach (var subset in subsets)
        {
            var addresses = subset.Addresses ?? [];
            if (subset.Ports is null || subset.Ports.Count == 0)
            {
                count += addresses.Count;
                more |= Take(list, addresses.Select(a => a.Ip ?? ""));
                continue;
            }

            foreach (var port in subset.Ports)
            {
                count += addresses.Count;
                more |= Take(list, addresses.Select(a => JoinHostPort(a.Ip ?? "", port.Port)));
            }
        }

        var joined = string.Join(',', list);
        return more ? $"{joined} + {count - Max} more..." : joined;
    }

    private static bool Take(List<string> list, IEnumerable<string> items)
    {
        foreach (var item in items)
        {
            if (list.Count == Max)
            {
                return true;
            }

            list.Add(item);
        }

        return false;
    }

    private static string JoinHostPort(string host, int port) => host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";
}
