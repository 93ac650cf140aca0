using Flotilla.Proxy.Iptables;
using Flotilla.Proxy.Model;

namespace Flotilla.Proxy.Tests.Iptables;

public sealed class ProxyRulesTests
{
    private static readonly ProxyRules Rules = new("10.42.0.0/16");

    [Fact]
    public void AClusterIpWithTwoEndpoints_AndANodePort_AndAServiceWithNone_AreWrittenAsKubeProxyWritesThem()
    {
        var state = ProxyState.Build(
            [Objects.Service("web", "10.43.0.20", type: "NodePort", nodePort: 30080), Objects.Service("empty", "10.43.0.21", type: "NodePort", nodePort: 30081)],
            [Objects.Slice("web", 8080, ("10.42.0.6", "n1", true), ("10.42.0.5", "n2", null))],
            "n1");
        var web = state.Ports.Single(p => p.Port.Name.Name == "web").Port;
        var (svc, ext) = (ChainNames.Cluster(web), ChainNames.External(web));
        var (sep5, sep6) = (ChainNames.Endpoint(web, new Endpoint("10.42.0.5", 8080, true, true, false, false)), ChainNames.Endpoint(web, new Endpoint("10.42.0.6", 8080, true, true, false, true)));

        var output = Rules.Write(state, null, []);
        var lines = output.Text.Split('\n');

        Assert.Equal("*filter", lines[0]);
        Assert.Contains("-A FLOTILLA-SERVICES -m comment --comment \"default/empty:http has no endpoints\" -m tcp -p tcp -d 10.43.0.21 --dport 80 -j REJECT", lines);
        Assert.Contains("-A FLOTILLA-EXTERNAL-SERVICES -m comment --comment \"default/empty:http has no endpoints\" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30081 -j REJECT", lines);
        Assert.Contains("-A FLOTILLA-POSTROUTING -m mark ! --mark 0x00004000/0x00004000 -j RETURN", lines);
        Assert.Contains("-A FLOTILLA-MARK-MASQ -j MARK --or-mark 0x00004000", lines);
        Assert.Contains($"-A FLOTILLA-SERVICES -m comment --comment \"default/web:http cluster IP\" -m tcp -p tcp -d 10.43.0.20 --dport 80 -j {svc}", lines);
        Assert.Contains($"-A FLOTILLA-NODEPORTS -m comment --comment default/web:http -m tcp -p tcp --dport 30080 -j {ext}", lines);

        // The service's chains, in order: masquerade from outside the pods' network, then equal odds.
        Assert.Equal(
            [
                $"-A {svc} -m comment --comment \"default/web:http cluster IP\" -m tcp -p tcp -d 10.43.0.20 --dport 80 ! -s 10.42.0.0/16 -j FLOTILLA-MARK-MASQ",
                $"-A {svc} -m comment --comment \"default/web:http -> 10.42.0.5:8080\" -m statistic --mode random --probability 0.5000000000 -j {sep5}",
                $"-A {svc} -m comment --comment \"default/web:http -> 10.42.0.6:8080\" -j {sep6}",
            ],
            lines.Where(l => l.StartsWith($"-A {svc} ", StringComparison.Ordinal)));
        Assert.Equal(
            [
                $"-A {ext} -m comment --comment \"masquerade traffic for default/web:http external destinations\" -j FLOTILLA-MARK-MASQ",
                $"-A {ext} -j {svc}",
            ],
            lines.Where(l => l.StartsWith($"-A {ext} ", StringComparison.Ordinal)));
        Assert.Equal(
            [
                $"-A {sep5} -m comment --comment default/web:http -s 10.42.0.5 -j FLOTILLA-MARK-MASQ",
                $"-A {sep5} -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.42.0.5:8080",
            ],
            lines.Where(l => l.StartsWith($"-A {sep5} ", StringComparison.Ordinal)));

        // No chain for the service without endpoints; the NodePort jump comes last; each table is committed.
        Assert.DoesNotContain(lines, l => l.Contains(ChainNames.Cluster(state.Ports.Single(p => p.Port.Name.Name == "empty").Port), StringComparison.Ordinal));
        Assert.StartsWith("-A FLOTILLA-SERVICES -m comment --comment \"flotilla service nodeports; NOTE: this must be the last rule in this chain\" -m addrtype --dst-type LOCAL -j FLOTILLA-NODEPORTS", lines[^3], StringComparison.Ordinal);
        Assert.Equal(["COMMIT", "COMMIT"], lines.Where(l => l == "COMMIT"));
        Assert.Equal(4, output.Chains.Count);
        Assert.Equal(4, output.Written);
    }

    [Fact]
    public void SessionAffinity_SendsAClientBackToItsEndpoint_BeforeTheOdds()
    {
        var service = Objects.Service("sticky", "10.43.0.30");
        service.Spec.SessionAffinity = "ClientIP";
        service.Spec.SessionAffinityConfig = new k8s.Models.V1SessionAffinityConfig { ClientIP = new k8s.Models.V1ClientIPConfig { TimeoutSeconds = 60 } };
        var state = ProxyState.Build([service], [Objects.Slice("sticky", 8080, ("10.42.0.5", "n1", true), ("10.42.0.6", "n1", true), ("10.42.0.7", "n1", true))], "n1");
        var port = state.Ports[0].Port;
        var svc = ChainNames.Cluster(port);
        var seps = state.Ports[0].Endpoints.Select(e => ChainNames.Endpoint(port, e)).ToList();

        var lines = Rules.Write(state, null, []).Text.Split('\n').Where(l => l.StartsWith($"-A {svc} ", StringComparison.Ordinal)).ToList();

        Assert.Equal(7, lines.Count);
        Assert.Equal($"-A {svc} -m comment --comment \"default/sticky:http -> 10.42.0.5:8080\" -m recent --name {seps[0]} --rcheck --seconds 60 --reap -j {seps[0]}", lines[1]);
        Assert.Contains("--probability 0.3333333333 ", lines[4], StringComparison.Ordinal);
        Assert.Contains("--probability 0.5000000000 ", lines[5], StringComparison.Ordinal);
        Assert.EndsWith($"-j {seps[2]}", lines[6], StringComparison.Ordinal);
        Assert.Contains(
            $"-A {seps[1]} -m comment --comment default/sticky:http -m recent --name {seps[1]} --set -m tcp -p tcp -j DNAT --to-destination 10.42.0.6:8080",
            Rules.Write(state, null, []).Text.Split('\n'));
    }

    [Fact]
    public void LocalPolicies_UseThisNodesEndpoints_AndDropWhenOnlyOtherNodesHaveThem()
    {
        var local = Objects.Service("local", "10.43.0.40", type: "NodePort", nodePort: 30090);
        local.Spec.ExternalTrafficPolicy = "Local";
        local.Spec.InternalTrafficPolicy = "Local";
        var elsewhere = Objects.Service("elsewhere", "10.43.0.41");
        elsewhere.Spec.InternalTrafficPolicy = "Local";
        var state = ProxyState.Build(
            [local, elsewhere],
            [Objects.Slice("local", 8080, ("10.42.0.5", "n1", true), ("10.42.1.5", "n2", true)), Objects.Slice("elsewhere", 8080, ("10.42.1.6", "n2", true))],
            "n1");
        var port = state.Ports.Single(p => p.Port.Name.Name == "local").Port;
        var (svl, svc, ext) = (ChainNames.Local(port), ChainNames.Cluster(port), ChainNames.External(port));

        var lines = Rules.Write(state, null, []).Text.Split('\n');

        Assert.Contains($"-A FLOTILLA-SERVICES -m comment --comment \"default/local:http cluster IP\" -m tcp -p tcp -d 10.43.0.40 --dport 80 -j {svl}", lines);
        Assert.Single(lines, l => l.StartsWith($"-A {svl} ", StringComparison.Ordinal) && l.Contains("-j FLOTILLA-SEP-", StringComparison.Ordinal) && l.Contains("10.42.0.5:8080", StringComparison.Ordinal));
        Assert.Equal(
            [
                $"-A {ext} -m comment --comment \"pod traffic for default/local:http external destinations\" -s 10.42.0.0/16 -j {svc}",
                $"-A {ext} -m comment --comment \"masquerade LOCAL traffic for default/local:http external destinations\" -m addrtype --src-type LOCAL -j FLOTILLA-MARK-MASQ",
                $"-A {ext} -m comment --comment \"route LOCAL traffic for default/local:http external destinations\" -m addrtype --src-type LOCAL -j {svc}",
                $"-A {ext} -j {svl}",
            ],
            lines.Where(l => l.StartsWith($"-A {ext} ", StringComparison.Ordinal)));
        Assert.Contains("-A FLOTILLA-SERVICES -m comment --comment \"default/elsewhere:http has no local endpoints\" -m tcp -p tcp -d 10.43.0.41 --dport 80 -j DROP", lines);
    }

    [Fact]
    public void APartialSync_WritesOnlyChangedChains_AndDeletesStaleOnes()
    {
        var services = new[] { Objects.Service("a", "10.43.0.50"), Objects.Service("b", "10.43.0.51") };
        var first = Rules.Write(ProxyState.Build(services, [Objects.Slice("a", 8080, ("10.42.0.5", "n1", true)), Objects.Slice("b", 8080, ("10.42.0.6", "n1", true))], "n1"), null, []);
        var b = ProxyState.Build(services, [], "n1").Ports.Single(p => p.Port.Name.Name == "b").Port;

        // b's endpoint moves: its chains are written, a's are left as they are, the old endpoint's chain goes.
        var second = Rules.Write(ProxyState.Build(services, [Objects.Slice("a", 8080, ("10.42.0.5", "n1", true)), Objects.Slice("b", 8080, ("10.42.0.7", "n1", true))], "n1"), first.Chains, first.Chains.Keys);
        var old = ChainNames.Endpoint(b, new Endpoint("10.42.0.6", 8080, true, true, false, true));

        Assert.Equal(2, second.Written);
        Assert.Equal(1, second.Deleted);
        Assert.Contains($"-X {old}", second.Text.Split('\n'));
        Assert.Contains($":{ChainNames.Cluster(b)} - [0:0]", second.Text.Split('\n'));
        Assert.DoesNotContain("10.42.0.5:8080", second.Text, StringComparison.Ordinal);
        Assert.Contains("-d 10.43.0.50 --dport 80 -j FLOTILLA-SVC-", second.Text, StringComparison.Ordinal);

        // Nothing changed: only the top-level chains.
        Assert.Equal(0, Rules.Write(ProxyState.Build(services, [Objects.Slice("a", 8080, ("10.42.0.5", "n1", true)), Objects.Slice("b", 8080, ("10.42.0.7", "n1", true))], "n1"), second.Chains, second.Chains.Keys).Written);
    }
}
