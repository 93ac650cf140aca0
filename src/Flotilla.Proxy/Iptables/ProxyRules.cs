using System.Globalization;
using System.Text;
using Flotilla.Proxy.Model;

namespace Flotilla.Proxy.Iptables;

/// <summary>
/// The iptables-restore input for one sync (kube-proxy's iptables mode, with <c>FLOTILLA-</c> chains): the top-level
/// chains written whole every time, and per service port its cluster/local/external chains and per endpoint its DNAT
/// chain — those only when their rules changed since <paramref name="previous"/> (a partial sync: the kernel keeps
/// unchanged chains, as <c>--noflush</c> leaves undeclared chains alone). Chains that are no longer wanted are
/// emptied and deleted.
/// </summary>
/// <param name="ClusterCidr">The pods' network: cluster-IP traffic from anywhere else is masqueraded (upstream's detect-local by cluster CIDR); none when null.</param>
public sealed record ProxyRules(string? ClusterCidr, bool LocalhostNodePorts = true)
{
    /// <summary>Bit 14, as upstream's <c>--iptables-masquerade-bit</c> default, written as upstream writes it.</summary>
    public const string MasqueradeMark = "0x00004000";

    /// <summary>Builds the restore input from <paramref name="state"/>.</summary>
    /// <param name="previous">The per-service chains (name → rules) in the kernel after the last sync; null for a full sync.</param>
    /// <param name="existing">Per-service chains known to exist (from the last sync, or iptables-save at a full one): deleted unless still wanted.</param>
    public ProxyRulesOutput Write(ProxyState state, IReadOnlyDictionary<string, string>? previous, IEnumerable<string> existing)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(existing);
        var filter = new Table();
        var nat = new Table();
        var chains = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var top in new[] { ChainNames.Services, ChainNames.ExternalServices, ChainNames.Forward, ChainNames.Firewall })
        {
            filter.Declare(top);
        }

        foreach (var top in new[] { ChainNames.Services, ChainNames.NodePorts, ChainNames.Postrouting, ChainNames.MarkMasq })
        {
            nat.Declare(top);
        }

        nat.Rule(ChainNames.Postrouting, $"-m mark ! --mark {MasqueradeMark}/{MasqueradeMark} -j RETURN");
        nat.Rule(ChainNames.Postrouting, $"-j MARK --xor-mark {MasqueradeMark}");
        nat.Rule(ChainNames.Postrouting, "-m comment --comment \"flotilla service traffic requiring SNAT\" -j MASQUERADE --random-fully");
        nat.Rule(ChainNames.MarkMasq, $"-j MARK --or-mark {MasqueradeMark}");
        filter.Rule(ChainNames.Forward, "-m conntrack --ctstate INVALID -j DROP");
        filter.Rule(ChainNames.Forward, $"-m comment --comment \"flotilla forwarding rules\" -m mark --mark {MasqueradeMark}/{MasqueradeMark} -j ACCEPT");
        filter.Rule(ChainNames.Forward, "-m comment --comment \"flotilla forwarding conntrack rule\" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
        if (LocalhostNodePorts)
        {
            filter.Rule(ChainNames.Firewall, "-m comment --comment \"block incoming localnet connections\" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP");
        }

        foreach (var (port, endpoints) in state.Ports)
        {
            WriteService(port, EndpointCategories.Of(port, endpoints), filter, nat, chains);
        }

        var written = 0;
        foreach (var (chain, rules) in chains)
        {
            if (previous?.TryGetValue(chain, out var before) == true && before == rules)
            {
                continue;
            }

            nat.Declare(chain);
            nat.Raw(rules);
            written++;
        }

        var stale = existing.Where(c => ChainNames.IsServiceChain(c) && !chains.ContainsKey(c)).Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (var chain in stale)
        {
            nat.Declare(chain);
            nat.Line($"-X {chain}");
        }

        // Last: whatever is addressed to the node itself may be a NodePort.
        nat.Rule(ChainNames.Services, "-m comment --comment \"flotilla service nodeports; NOTE: this must be the last rule in this chain\" -m addrtype --dst-type LOCAL" + (LocalhostNodePorts ? string.Empty : " ! -d 127.0.0.0/8") + $" -j {ChainNames.NodePorts}");
        var text = new StringBuilder();
        filter.WriteTo(text, "filter");
        nat.WriteTo(text, "nat");
        return new ProxyRulesOutput(text.ToString(), chains, written, stale.Count, filter.Rules, nat.Rules + chains.Values.Sum(r => r.Count('\n')));
    }

    private void WriteService(ServicePort port, EndpointCategories endpoints, Table filter, Table nat, Dictionary<string, string> chains)
    {
        var name = port.Name.ToString();
        var proto = $"-m {port.Protocol} -p {port.Protocol}";
        var clusterChain = ChainNames.Cluster(port);
        var localChain = ChainNames.Local(port);
        var externalChain = ChainNames.External(port);
        var internalTraffic = port.InternalPolicyLocal ? localChain : clusterChain;
        var externalPolicy = port.ExternalPolicyLocal ? localChain : clusterChain;
        var usesCluster = endpoints.Cluster.Count > 0 && port.UsesClusterEndpoints;
        var usesLocal = endpoints.Local.Count > 0 && port.UsesLocalEndpoints;
        var hasInternal = port.InternalPolicyLocal ? endpoints.Local.Count > 0 : endpoints.Cluster.Count > 0;
        var hasExternal = port.ExternalPolicyLocal ? endpoints.Local.Count > 0 : endpoints.Cluster.Count > 0;
        var usesExternal = endpoints.AllReachable.Count > 0 && port.ExternallyAccessible;
        var clusterIp = $"-m comment --comment \"{name} cluster IP\" {proto} -d {port.ClusterIp} --dport {port.Port}";

        // Traffic to the ClusterIP: to the service's chain, or refused (no endpoints) or dropped (none on this node, under a Local policy).
        if (hasInternal)
        {
            nat.Rule(ChainNames.Services, $"{clusterIp} -j {internalTraffic}");
        }
        else
        {
            filter.Rule(ChainNames.Services, NoEndpoints(port, endpoints, port.InternalPolicyLocal, $"{proto} -d {port.ClusterIp} --dport {port.Port}"));
        }

        // Traffic from outside: external IPs, load balancers, NodePorts.
        foreach (var (ip, kind) in port.ExternalIps.Select(ip => (ip, "external IP")).Concat(port.LoadBalancerIps.Select(ip => (ip, "loadbalancer IP"))))
        {
            if (hasExternal)
            {
                nat.Rule(ChainNames.Services, $"-m comment --comment \"{name} {kind}\" {proto} -d {ip} --dport {port.Port} -j {externalChain}");
            }
            else
            {
                filter.Rule(ChainNames.ExternalServices, NoEndpoints(port, endpoints, port.ExternalPolicyLocal, $"{proto} -d {ip} --dport {port.Port}"));
            }
        }

        if (port.NodePort > 0)
        {
            if (hasExternal)
            {
                nat.Rule(ChainNames.NodePorts, $"-m comment --comment {name} {proto} --dport {port.NodePort} -j {externalChain}");
            }
            else
            {
                filter.Rule(ChainNames.ExternalServices, NoEndpoints(port, endpoints, port.ExternalPolicyLocal, $"-m addrtype --dst-type LOCAL {proto} --dport {port.NodePort}"));
            }
        }

        if (usesExternal)
        {
            var ext = new StringBuilder();
            if (!port.ExternalPolicyLocal)
            {
                Append(ext, externalChain, $"-m comment --comment \"masquerade traffic for {name} external destinations\" -j {ChainNames.MarkMasq}");
            }
            else
            {
                // Pods and the node itself reach the service as if from outside and back in: not bound by the Local policy.
                if (ClusterCidr is not null)
                {
                    Append(ext, externalChain, $"-m comment --comment \"pod traffic for {name} external destinations\" -s {ClusterCidr} -j {clusterChain}");
                }

                Append(ext, externalChain, $"-m comment --comment \"masquerade LOCAL traffic for {name} external destinations\" -m addrtype --src-type LOCAL -j {ChainNames.MarkMasq}");
                Append(ext, externalChain, $"-m comment --comment \"route LOCAL traffic for {name} external destinations\" -m addrtype --src-type LOCAL -j {clusterChain}");
            }

            if (hasExternal)
            {
                Append(ext, externalChain, $"-j {externalPolicy}");
            }

            chains[externalChain] = ext.ToString();
        }

        if (usesCluster)
        {
            var svc = new StringBuilder();
            if (internalTraffic == clusterChain && ClusterCidr is not null)
            {
                Append(svc, clusterChain, $"{clusterIp} ! -s {ClusterCidr} -j {ChainNames.MarkMasq}");
            }

            WriteToEndpoints(svc, clusterChain, port, endpoints.Cluster);
            chains[clusterChain] = svc.ToString();
        }

        if (usesLocal)
        {
            var svl = new StringBuilder();
            if (internalTraffic == localChain && ClusterCidr is not null)
            {
                Append(svl, localChain, $"{clusterIp} ! -s {ClusterCidr} -j {ChainNames.MarkMasq}");
            }

            WriteToEndpoints(svl, localChain, port, endpoints.Local);
            chains[localChain] = svl.ToString();
        }

        foreach (var endpoint in endpoints.AllReachable)
        {
            var chain = ChainNames.Endpoint(port, endpoint);
            var sep = new StringBuilder();

            // Hairpin: a pod reaching itself through the service must see the reply come from the service.
            Append(sep, chain, $"-m comment --comment {name} -s {endpoint.Ip} -j {ChainNames.MarkMasq}");
            var sticky = port.AffinitySeconds is null ? string.Empty : $" -m recent --name {chain} --set";
            Append(sep, chain, $"-m comment --comment {name}{sticky} {proto} -j DNAT --to-destination {endpoint}");
            chains[chain] = sep.ToString();
        }
    }

    /// <summary>Equal odds over the endpoints (1/n, 1/(n-1), ..., the last taken always); with affinity, a client seen recently goes back to its endpoint first.</summary>
    private static void WriteToEndpoints(StringBuilder rules, string chain, ServicePort port, IReadOnlyList<Endpoint> endpoints)
    {
        var name = port.Name.ToString();
        if (port.AffinitySeconds is int seconds)
        {
            foreach (var endpoint in endpoints)
            {
                var target = ChainNames.Endpoint(port, endpoint);
                Append(rules, chain, $"-m comment --comment \"{name} -> {endpoint}\" -m recent --name {target} --rcheck --seconds {seconds} --reap -j {target}");
            }
        }

        for (var i = 0; i < endpoints.Count; i++)
        {
            var odds = i < endpoints.Count - 1
                ? " -m statistic --mode random --probability " + (1.0 / (endpoints.Count - i)).ToString("F10", CultureInfo.InvariantCulture)
                : string.Empty;
            Append(rules, chain, $"-m comment --comment \"{name} -> {endpoints[i]}\"{odds} -j {ChainNames.Endpoint(port, endpoints[i])}");
        }
    }

    /// <summary>No endpoint at all: refused at once (REJECT, ICMP port unreachable); endpoints only on other nodes under a Local policy: dropped.</summary>
    private static string NoEndpoints(ServicePort port, EndpointCategories endpoints, bool localPolicy, string match) =>
        localPolicy && endpoints.HasAny
            ? $"-m comment --comment \"{port.Name} has no local endpoints\" {match} -j DROP"
            : $"-m comment --comment \"{port.Name} has no endpoints\" {match} -j REJECT";

    private static void Append(StringBuilder rules, string chain, string rule) => rules.Append("-A ").Append(chain).Append(' ').Append(rule).Append('\n');

    /// <summary>One table's part of the input: its chain lines first, then its rules, then COMMIT.</summary>
    private sealed class Table
    {
        private readonly StringBuilder _chains = new();
        private readonly StringBuilder _rules = new();

        public int Rules { get; private set; }

        public void Declare(string chain) => _chains.Append(':').Append(chain).Append(" - [0:0]\n");

        public void Rule(string chain, string rule)
        {
            Append(_rules, chain, rule);
            Rules++;
        }

        public void Raw(string rules) => _rules.Append(rules);

        public void Line(string line) => _rules.Append(line).Append('\n');

        public void WriteTo(StringBuilder text, string name) => text.Append('*').Append(name).Append('\n').Append(_chains).Append(_rules).Append("COMMIT\n");
    }
}

/// <summary>One sync's restore input, and what the next sync compares against.</summary>
/// <param name="Chains">Every per-service chain wanted now, with its rules.</param>
/// <param name="Written">How many of them this input writes (the rest are unchanged).</param>
/// <param name="Deleted">How many stale chains it deletes.</param>
public sealed record ProxyRulesOutput(string Text, IReadOnlyDictionary<string, string> Chains, int Written, int Deleted, int FilterRules, int NatRules);
