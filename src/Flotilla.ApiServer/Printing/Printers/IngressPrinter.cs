using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>ingresses: NAME CLASS HOSTS ADDRESS PORTS AGE.</summary>
public sealed class IngressPrinter : TablePrinter<V1Ingress>
{
    private const int MaxHosts = 3;

    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        TableColumn.String("Class", "The name of the IngressClass resource that should be used for additional configuration"),
        TableColumn.String("Hosts", "Hosts that incoming requests are matched against before the ingress rule"),
        TableColumn.String("Address", "Address is a list containing ingress points for the load-balancer"),
        TableColumn.String("Ports", "Ports of TLS configurations that open"),
        CommonColumns.Age,
    ];

    protected override IReadOnlyList<object?> Row(V1Ingress model, DateTimeOffset now)
    {
        var spec = model.Spec;
        var address = LoadBalancers.Format((model.Status?.LoadBalancer?.Ingress ?? []).Select(i => (i.Ip, i.Hostname)));
        return
        [
            Meta.Name(model.Metadata),
            spec?.IngressClassName ?? "<none>",
            Hosts(spec?.Rules ?? []),
            address,
            spec?.Tls is { Count: > 0 } ? "80, 443" : "80",
            Meta.Age(model.Metadata, now),
        ];
    }

    // The first three named hosts; "+ N more..." counts every rule past the third, named or not.
    private static string Hosts(IList<V1IngressRule> rules)
    {
        var hosts = rules.Select(r => r.Host).Where(h => !string.IsNullOrEmpty(h)).Take(MaxHosts).ToList();
        if (hosts.Count == 0)
        {
            return "*";
        }

        var joined = string.Join(',', hosts);
        return MoreAfterThird(rules) ? $"{joined} + {rules.Count - MaxHosts} more..." : joined;
    }

    // Upstream marks "more" once three hosts are collected and another rule follows.
    private static bool MoreAfterThird(IList<V1IngressRule> rules)
    {
        var seen = 0;
        foreach (var rule in rules)
        {
            if (seen == MaxHosts)
            {
                return true;
            }

            if (!string.IsNullOrEmpty(rule.Host))
            {
                seen++;
            }
        }

        return false;
    }
}
