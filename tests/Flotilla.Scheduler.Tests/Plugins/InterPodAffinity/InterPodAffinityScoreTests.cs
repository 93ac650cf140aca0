using Flotilla.Scheduler.Framework;
using Flotilla.Scheduler.Plugins.InterPodAffinity;
using Flotilla.Scheduler.Tests.Testing;
using k8s.Models;
using static Flotilla.Scheduler.Tests.Plugins.InterPodAffinity.Affinity;
using static Flotilla.Scheduler.Tests.Testing.Cluster;
using Plugin = Flotilla.Scheduler.Plugins.InterPodAffinity.InterPodAffinityPlugin;

namespace Flotilla.Scheduler.Tests.Plugins.InterPodAffinity;

/// <summary>PreScore, Score and NormalizeScore, with upstream's cases (scoring_test.go).</summary>
public sealed class InterPodAffinityScoreTests
{
    private static readonly string[] S1 = ["security=S1"];
    private static readonly string[] S2 = ["security=S2"];

    private static readonly V1PodAffinityTerm SecurityS1InRegion = In("security", "region", "S1");
    private static readonly V1PodAffinityTerm SecurityS2InRegion = In("security", "region", "S2");

    private static readonly Dictionary<string, ScoreCase> PreferredCases = new()
    {
        ["all nodes are same priority as Affinity is nil"] = new(
            Pod("p", null, S1),
            [],
            [Node("node1", "region=China"), Node("node2", "region=India"), Node("node3", "az=az1")],
            null),
        // node1 (China) has a matching pod; node3 has one but not the topology key; node2 has none.
        ["Affinity: pod that matches topology key & pods in nodes will get high score comparing to others which doesn't match either pods in nodes or in topology key"] = new(
            StayWithS1InRegion(Pod("p", null, S1)),
            [Pod("e1", "node1", S1), Pod("e2", "node2", S2), Pod("e3", "node3", S1)],
            [Node("node1", "region=China"), Node("node2", "region=India"), Node("node3", "az=az1")],
            [100, 0, 0]),
        ["All the nodes that have the same topology key & label value with one of them has an existing pod that match the affinity rules, have the same score"] = new(
            StayWithS1InRegion(Pod("p", null)),
            [Pod("e1", "node1", S1)],
            [Node("node1", "region=China"), Node("node2", "region=China", "az=az1"), Node("node3", "region=India")],
            [100, 100, 0]),
        ["Affinity: nodes in one region has more matching pods comparing to other region, so the region which has more matches will get high score"] = new(
            Pod("p", null, S1).Preferring(6, SecurityS2InRegion),
            [Pod("e1", "node1", S2), Pod("e2", "node1", S2), Pod("e3", "node2", S2), Pod("e4", "node3", S2), Pod("e5", "node4", S2), Pod("e6", "node5", S2)],
            [Node("node1", "region=China"), Node("node2", "region=India"), Node("node3", "region=China"), Node("node4", "region=China"), Node("node5", "region=India")],
            [100, 0, 100, 100, 0]),
        ["Affinity: different Label operators and values for pod affinity scheduling preference, including some match failures "] = new(
            Pod("p", null, S1)
                .Preferring(8, Term("region", Req("security", "NotIn", "S1"), Req("security", "In", "S2")))
                .Preferring(2, Term("region", Req("security", "Exists"), Req("wrongkey", "DoesNotExist"))),
            [Pod("e1", "node1", S1), Pod("e2", "node2", S2), Pod("e3", "node3", S1)],
            [Node("node1", "region=China"), Node("node2", "region=India"), Node("node3", "az=az1")],
            [20, 100, 0]),
        ["Affinity symmetry: considered only the preferredDuringSchedulingIgnoredDuringExecution in pod affinity symmetry"] = new(
            Pod("p", null, S2),
            [StayWithS1InRegion(Pod("e1", "node1", S1)), Pod("e2", "node2", S2).Preferring(6, SecurityS2InRegion)],
            [Node("node1", "region=China"), Node("node2", "region=India"), Node("node3", "az=az1")],
            [0, 100, 0]),
        ["Affinity symmetry with namespace selector"] = new(
            Pod("p", null, S1).InNamespace("subteam1.team1"),
            [Pod("e1", "node1", S1).Preferring(5, In("security", "region", "S1").InNamespaces("subteam2.team2").InTeam("team1")), Pod("e2", "node2", S2).Preferring(6, SecurityS2InRegion)],
            [Node("node1", "region=China"), Node("node2", "region=India"), Node("node3", "az=az1")],
            [100, 0, 0]),
        ["AntiAffinity symmetry with namespace selector"] = new(
            Pod("p", null, S1).InNamespace("subteam1.team1"),
            [Pod("e1", "node1", S1).PreferringAway(5, In("security", "region", "S1").InNamespaces("subteam2.team2").InTeam("team1")), Pod("e2", "node2", S2).Preferring(6, SecurityS2InRegion)],
            [Node("node1", "region=China"), Node("node2", "region=India"), Node("node3", "az=az1")],
            [0, 100, 100]),
        ["Affinity symmetry: considered RequiredDuringSchedulingIgnoredDuringExecution in pod affinity symmetry"] = new(
            Pod("p", null, S1),
            [HardAffinity(Pod("e1", "node1", S1)), HardAffinity(Pod("e2", "node2", S2))],
            [Node("node1", "region=China"), Node("node2", "region=India"), Node("node3", "az=az1")],
            [100, 100, 0]),
        ["Anti Affinity: pod that does not match existing pods in node will get high score "] = new(
            AwayFromS1InAz(Pod("p", null, S1)),
            [Pod("e1", "node1", S1), Pod("e2", "node2", S2)],
            [Node("node1", "az=az1"), Node("node2", "region=China")],
            [0, 100]),
        ["Anti Affinity: pod that does not match topology key & match the pods in nodes will get higher score comparing to others "] = new(
            AwayFromS1InAz(Pod("p", null, S1)),
            [Pod("e1", "node1", S1), Pod("e2", "node2", S1)],
            [Node("node1", "az=az1"), Node("node2", "region=China")],
            [0, 100]),
        ["Anti Affinity: one node has more matching pods comparing to other node, so the node which has more unmatches will get high score"] = new(
            AwayFromS1InAz(Pod("p", null, S1)),
            [Pod("e1", "node1", S1), Pod("e2", "node1", S1), Pod("e3", "node2", S2)],
            [Node("node1", "az=az1"), Node("node2", "region=India")],
            [0, 100]),
        ["Anti Affinity symmetry: the existing pods in node which has anti affinity match will get high score"] = new(
            Pod("p", null, S2),
            [Pod("e1", "node1", S1).PreferringAway(5, In("security", "az", "S2")), AwayFromS1InAz(Pod("e2", "node2", S2))],
            [Node("node1", "az=az1"), Node("node2", "az=az2")],
            [0, 100]),
        ["Affinity and Anti Affinity: considered only preferredDuringSchedulingIgnoredDuringExecution in both pod affinity & anti affinity"] = new(
            StayWithS1InRegionAwayFromS2InAz(Pod("p", null, S1)),
            [Pod("e1", "node1", S1), Pod("e2", "node2", S1)],
            [Node("node1", "region=China"), Node("node2", "az=az1")],
            [100, 0]),
        ["Affinity and Anti Affinity: considering both affinity and anti-affinity, the pod to schedule and existing pods have the same labels"] = new(
            StayWithS1InRegionAwayFromS2InAz(Pod("p", null, S1)),
            [Pod("e1", "node1", S1), Pod("e2", "node1", S1), Pod("e3", "node2", S1), Pod("e4", "node3", S1), Pod("e5", "node3", S1), Pod("e6", "node4", S1), Pod("e7", "node5", S1)],
            [Node("node1", "region=China", "az=az1"), Node("node2", "region=India"), Node("node3", "region=China"), Node("node4", "region=China"), Node("node5", "region=India")],
            [100, 0, 100, 100, 0]),
        // Affinity 8/0/0/0, anti-affinity 0/-5/0/0, affinity symmetry 0/0/8/0, anti-affinity symmetry 0/0/0/-5.
        ["Affinity and Anti Affinity and symmetry: considered only preferredDuringSchedulingIgnoredDuringExecution in both pod affinity & anti affinity & symmetry"] = new(
            StayWithS1InRegionAwayFromS2InAz(Pod("p", null, S1)),
            [Pod("e1", "node1", S1), Pod("e2", "node2", S2), StayWithS1InRegionAwayFromS2InAz(Pod("e3", "node3")), AwayFromS1InAz(Pod("e4", "node4"))],
            [Node("node1", "region=China"), Node("node2", "az=az1"), Node("node3", "region=India"), Node("node4", "az=az2")],
            [100, 0, 100, 0]),
        // kubernetes#82796: some nodes of a topology have pods with affinity, others not; the incoming pod has none.
        ["Avoid panic when partial nodes in a topology don't have pods with affinity"] = new(
            Pod("p", null, S1),
            [Pod("e1", "node1", S1), StayWithS1InRegionAwayFromS2InAz(Pod("e2", "node2"))],
            [Node("node1", "region=China"), Node("node2", "region=China")],
            [0, 0]),
        ["Affinity with pods matching NamespaceSelector"] = new(
            Pod("p", null, S1).InNamespace("subteam1.team1").Preferring(5, In("security", "region", "S1").InNamespaces("subteam2.team2").InTeam("team1")),
            [Pod("e1", "node1", S1).InNamespace("subteam1.team1"), Pod("e2", "node1", S1).InNamespace("subteam1.team1"), Pod("e3", "node1", S1).InNamespace("subteam1.team2"), Pod("e4", "node2", S1).InNamespace("subteam2.team1")],
            [Node("node1", "region=China"), Node("node2", "region=India")],
            [100, 0]),
        ["Affinity with pods matching both NamespaceSelector and Namespaces fields"] = new(
            Pod("p", null, S1).InNamespace("subteam1.team1").Preferring(5, In("security", "region", "S1").InNamespaces("subteam2.team2").InTeam("team1")),
            [Pod("e1", "node1", S1).InNamespace("subteam1.team1"), Pod("e2", "node1", S1).InNamespace("subteam1.team1"), Pod("e3", "node1", S1).InNamespace("subteam2.team2"), Pod("e4", "node2", S1).InNamespace("subteam2.team1")],
            [Node("node1", "region=China"), Node("node2", "region=India")],
            [100, 0]),
        ["Anti-affinity with pods matching NamespaceSelector"] = new(
            Pod("p", null, S1).InNamespace("subteam1.team1").PreferringAway(5, In("security", "region", "S1").InNamespaces("subteam2.team2").InTeam("team1")),
            [Pod("e1", "node1", S1).InNamespace("subteam1.team1"), Pod("e2", "node1", S1).InNamespace("subteam1.team1"), Pod("e3", "node1", S1).InNamespace("subteam1.team2"), Pod("e4", "node2", S1).InNamespace("subteam2.team1")],
            [Node("node1", "region=China"), Node("node2", "region=India")],
            [0, 100]),
        ["Do not ignore preferred terms of existing pods"] = new(
            Pod("p", null, S2),
            [StayWithS1InRegionAwayFromS2InAz(Pod("e1", "node1", S1)), Pod("e2", "node2", S2).Preferring(6, SecurityS2InRegion)],
            [Node("node1", "region=China"), Node("node2", "region=India")],
            [0, 100]),
    };

    private static readonly Dictionary<string, (int Weight, string Namespace, long[]? Want)> HardWeightCases = new()
    {
        ["with default weight"] = (1, "default", [100, 100, 0]),
        ["with zero weight"] = (0, "default", null),
        ["with no matching namespace"] = (1, "subteam1.team2", null),
        ["with matching NamespaceSelector"] = (1, "subteam1.team1", [100, 100, 0]),
        ["with matching Namespaces"] = (1, "subteam2.team2", [100, 100, 0]),
    };

    public static TheoryData<string> PreferredCaseNames => [.. PreferredCases.Keys];

    public static TheoryData<string> HardWeightCaseNames => [.. HardWeightCases.Keys];

    [Theory]
    [MemberData(nameof(PreferredCaseNames))]
    public async Task Score_UpstreamCases(string name)
    {
        var c = PreferredCases[name];

        Assert.Equal(c.Want, await ScoreAsync(c.Pod, c.Existing, c.Nodes, new InterPodAffinityArgs()));
    }

    [Theory]
    [MemberData(nameof(HardWeightCaseNames))]
    public async Task Score_ExistingPodsRequiredAffinity_CountsWithHardPodAffinityWeight(string name)
    {
        var (weight, ns, want) = HardWeightCases[name];
        var hard = In("service", "region", "S1").InNamespaces("default", "subteam2.team2").InTeam("team1");
        V1Node[] nodes = [Node("node1", "region=China"), Node("node2", "region=India"), Node("node3", "az=az1")];

        var got = await ScoreAsync(Pod("p", null, "service=S1").InNamespace(ns), [Pod("e1", "node1").Requiring(hard), Pod("e2", "node2").Requiring(hard)], nodes, new InterPodAffinityArgs { HardPodAffinityWeight = weight });

        Assert.Equal(want, got);
    }

    [Fact]
    public async Task PreScore_IgnorePreferredTermsOfExistingPods_SkipsAPodWithoutPreferredTerms()
    {
        var got = await ScoreAsync(
            Pod("p", null, S2),
            [StayWithS1InRegionAwayFromS2InAz(Pod("e1", "node1", S1)), Pod("e2", "node2", S2).Preferring(6, SecurityS2InRegion)],
            [Node("node1", "region=China"), Node("node2", "region=India")],
            new InterPodAffinityArgs { IgnorePreferredTermsOfExistingPods = true });

        Assert.Null(got);
    }

    [Fact]
    public async Task PreScore_NoNodes_Skip()
    {
        Assert.Null(await ScoreAsync(Pod("p", null, S2), [], [], new InterPodAffinityArgs()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PreScore_InvalidPreferredTerm_Error(bool antiAffinity)
    {
        var term = In("security", antiAffinity ? "az" : "region", "{{.bad-value.}}");
        var pod = antiAffinity ? Pod("p", null).PreferringAway(5, term) : Pod("p", null).Preferring(8, term);
        await using var handle = new TestHandle(Snapshot([Node("node1", "region=China"), Node("node2", "region=China")], []), Namespaces);

        var status = new Plugin(handle).PreScore(new CycleState(), pod, handle.Snapshot.List());

        Assert.Equal(StatusCode.Error, status.Code);
        Assert.Contains("Invalid value: \"{{.bad-value.}}\"", status.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public async Task Constructor_HardPodAffinityWeightOutOfRange_Throws(int weight)
    {
        await using var handle = new TestHandle(Nodes.Lister());

        Assert.Throws<ArgumentException>(() => new Plugin(handle, new InterPodAffinityArgs { HardPodAffinityWeight = weight }));
    }

    /// <summary>PreScore, Score on every node and NormalizeScore; null when PreScore skips.</summary>
    private static async Task<long[]?> ScoreAsync(V1Pod pod, V1Pod[] existing, V1Node[] nodes, InterPodAffinityArgs args)
    {
        await using var handle = new TestHandle(Snapshot(nodes, existing), Namespaces);
        var plugin = new Plugin(handle, args);
        var state = new CycleState();
        var status = plugin.PreScore(state, pod, handle.Snapshot.List());
        if (status.Code == StatusCode.Skip)
        {
            return null;
        }

        Assert.Equal(StatusCode.Success, status.Code);
        var scores = handle.Snapshot.List().Select(n => new NodeScore(n.Name, plugin.Score(state, pod, n).Score)).ToArray();
        Assert.True(plugin.NormalizeScore(state, pod, scores).IsSuccess);
        return [.. scores.Select(s => s.Score)];
    }

    private static V1Pod StayWithS1InRegion(V1Pod pod) => pod.Preferring(5, SecurityS1InRegion);

    private static V1Pod AwayFromS1InAz(V1Pod pod) => pod.PreferringAway(5, In("security", "az", "S1"));

    private static V1Pod StayWithS1InRegionAwayFromS2InAz(V1Pod pod) => pod.Preferring(8, SecurityS1InRegion).PreferringAway(5, In("security", "az", "S2"));

    private static V1Pod HardAffinity(V1Pod pod) => pod.Requiring(In("security", "region", "S1", "value2"), Term("region", Req("security", "Exists"), Req("wrongkey", "DoesNotExist")));

    private sealed record ScoreCase(V1Pod Pod, V1Pod[] Existing, V1Node[] Nodes, long[]? Want);
}
