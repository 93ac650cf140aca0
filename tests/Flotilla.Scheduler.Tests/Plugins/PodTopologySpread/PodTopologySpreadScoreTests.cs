using Flotilla.Scheduler.Framework;
using Flotilla.Scheduler.Plugins.PodTopologySpread;
using Flotilla.Scheduler.Tests.Testing;
using k8s;
using k8s.Models;
using static Flotilla.Scheduler.Tests.Plugins.PodTopologySpread.Spread;
using static Flotilla.Scheduler.Tests.Testing.Cluster;
using Plugin = Flotilla.Scheduler.Plugins.PodTopologySpread.PodTopologySpreadPlugin;
using PreScoreState = Flotilla.Scheduler.Plugins.PodTopologySpread.PreScoreState;

namespace Flotilla.Scheduler.Tests.Plugins.PodTopologySpread;

/// <summary>PreScore, Score and NormalizeScore, with upstream's cases (scoring_test.go).</summary>
public sealed class PodTopologySpreadScoreTests
{
    private static readonly V1Node[] FourHosts = [Host("node-a"), Host("node-b"), Host("node-c"), Host("node-d")];

    // Matching pods spread over node-a/b/c/d as 4/3/2/1.
    private static readonly V1Pod[] Spread4321 =
    [
        Pod("p-a1", "node-a", "foo"), Pod("p-a2", "node-a", "foo"), Pod("p-a3", "node-a", "foo"), Pod("p-a4", "node-a", "foo"),
        Pod("p-b1", "node-b", "foo"), Pod("p-b2", "node-b", "foo"), Pod("p-b3", "node-b", "foo"),
        Pod("p-c1", "node-c", "foo"), Pod("p-c2", "node-c", "foo"), Pod("p-d1", "node-d", "foo"),
    ];

    // Matching pods over node-a/b/x/y as 4/2/1/3.
    private static readonly V1Pod[] Spread4213 =
    [
        Pod("p-a1", "node-a", "foo"), Pod("p-a2", "node-a", "foo"), Pod("p-a3", "node-a", "foo"), Pod("p-a4", "node-a", "foo"),
        Pod("p-b1", "node-b", "foo"), Pod("p-b2", "node-b", "foo"), Pod("p-x1", "node-x", "foo"),
        Pod("p-y1", "node-y", "foo"), Pod("p-y2", "node-y", "foo"), Pod("p-y3", "node-y", "foo"),
    ];

    private static readonly V1Node[] ThreeNodesWithFoo = [Node("node-a", "node=node-a", "foo"), Node("node-b", "node=node-b", "foo"), Node("node-c", "node=node-c")];

    private static readonly V1Pod[] Spread211 = [Pod("p-a1", "node-a", "foo"), Pod("p-a2", "node-a", "foo"), Pod("p-b1", "node-b", "foo"), Pod("p-c1", "node-c", "foo")];

    private static readonly Dictionary<string, ScoreCase> ScoreCases = new()
    {
        ["one constraint on node, no existing pods"] = new(
            Pod("p", null, "foo").With(Constraint(1, Hostname, ScheduleAnyway, Foo)),
            [Host("node-a"), Host("node-b")],
            [],
            [],
            [("node-a", 100), ("node-b", 100)]),
        ["one constraint on node, only one node is candidate"] = new(
            Pod("p", null, "foo").With(Constraint(1, Hostname, ScheduleAnyway, Foo)),
            [Host("node-a")],
            [Host("node-b")],
            [Pod("p-a1", "node-a", "foo"), Pod("p-a2", "node-a", "foo"), Pod("p-b1", "node-b", "foo")],
            [("node-a", 100)]),
        ["one constraint on node, all nodes have the same number of matching pods"] = new(
            Pod("p", null, "foo").With(Constraint(1, Hostname, ScheduleAnyway, Foo)),
            [Host("node-a"), Host("node-b")],
            [],
            [Pod("p-a1", "node-a", "foo"), Pod("p-b1", "node-b", "foo")],
            [("node-a", 100), ("node-b", 100)]),
        ["one constraint on node, all 4 nodes are candidates"] = new(
            Pod("p", null, "foo").With(Constraint(1, Hostname, ScheduleAnyway, Foo)),
            FourHosts,
            [],
            [Pod("p-a1", "node-a", "foo"), Pod("p-a2", "node-a", "foo"), Pod("p-b1", "node-b", "foo"), Pod("p-d1", "node-d", "foo"), Pod("p-d2", "node-d", "foo"), Pod("p-d3", "node-d", "foo")],
            [("node-a", 20), ("node-b", 60), ("node-c", 100), ("node-d", 0)]),
        ["one constraint on node, null selector"] = new(
            Pod("p", null, "foo").With(Constraint(1, Hostname, ScheduleAnyway, null)),
            FourHosts,
            [],
            [Pod("p-a1", "node-a", "foo"), Pod("p-a2", "node-a", "foo"), Pod("p-b1", "node-b", "foo"), Pod("p-d1", "node-d", "foo"), Pod("p-d2", "node-d", "foo"), Pod("p-d3", "node-d", "foo")],
            [("node-a", 100), ("node-b", 100), ("node-c", 100), ("node-d", 100)]),
        ["one constraint on node, all 4 nodes are candidates, maxSkew=2"] = new(
            Pod("p", null, "foo").With(Constraint(2, Hostname, ScheduleAnyway, Foo)),
            FourHosts,
            [],
            [Pod("p-a1", "node-a", "foo"), Pod("p-a2", "node-a", "foo"), Pod("p-b1", "node-b", "foo"), Pod("p-d1", "node-d", "foo"), Pod("p-d2", "node-d", "foo"), Pod("p-d3", "node-d", "foo")],
            [("node-a", 33), ("node-b", 66), ("node-c", 100), ("node-d", 16)]),
        ["one constraint on node, all 4 nodes are candidates, maxSkew=3"] = new(
            Pod("p", null, "foo").With(Constraint(3, Hostname, ScheduleAnyway, Foo)),
            FourHosts,
            [],
            Spread4321,
            [("node-a", 44), ("node-b", 66), ("node-c", 77), ("node-d", 100)]),
        ["system defaulting, nodes don't have zone, pods match service"] = new(
            Pod("p", null, "foo"),
            FourHosts,
            [],
            Spread4321,
            [("node-a", 44), ("node-b", 66), ("node-c", 77), ("node-d", 100)],
            [new V1Service { Metadata = new V1ObjectMeta { Name = "s", NamespaceProperty = "default" }, Spec = new V1ServiceSpec { Selector = LabelSets.Of("foo") } }]),
        ["one constraint on node, 3 out of 4 nodes are candidates"] = new(
            Pod("p", null, "foo").With(Constraint(1, Hostname, ScheduleAnyway, Foo)),
            [Host("node-a"), Host("node-b"), Host("node-x")],
            [Host("node-y")],
            Spread4213,
            [("node-a", 33), ("node-b", 83), ("node-x", 100)]),
        ["one constraint on node, 3 out of 4 nodes are candidates, one node doesn't match topology key"] = new(
            Pod("p", null, "foo").With(Constraint(1, Hostname, ScheduleAnyway, Foo)),
            [Host("node-a"), Node("node-b", "n=node-b"), Host("node-x")],
            [Host("node-y")],
            Spread4213,
            [("node-a", 16), ("node-b", 0), ("node-x", 100)]),
        ["one constraint on zone, 3 out of 4 nodes are candidates"] = new(
            Pod("p", null, "foo").With(Constraint(1, "zone", ScheduleAnyway, Foo)),
            [Node("node-a", "zone=zone1", Hostname + "=node-a"), Node("node-b", "zone=zone1", Hostname + "=node-b"), Node("node-x", "zone=zone2", Hostname + "=node-x")],
            [Node("node-y", "zone=zone2", Hostname + "=node-y")],
            Spread4213,
            [("node-a", 75), ("node-b", 75), ("node-x", 100)]),
        ["two Constraints on zone and node, 2 out of 4 nodes are candidates"] = new(
            Pod("p", null, "foo").With(Constraint(1, "zone", ScheduleAnyway, Foo), Constraint(1, Hostname, ScheduleAnyway, Foo)),
            [Node("node-a", "zone=zone1", Hostname + "=node-a"), Node("node-x", "zone=zone2", Hostname + "=node-x")],
            [Node("node-b", "zone=zone1", Hostname + "=node-b"), Node("node-y", "zone=zone2", Hostname + "=node-y")],
            [
                Pod("p-a1", "node-a", "foo"), Pod("p-a2", "node-a", "foo"), Pod("p-b1", "node-b", "foo"), Pod("p-x1", "node-x", "foo"), Pod("p-x2", "node-x", "foo"),
                Pod("p-y1", "node-y", "foo"), Pod("p-y2", "node-y", "foo"), Pod("p-y3", "node-y", "foo"), Pod("p-y4", "node-y", "foo"),
            ],
            [("node-a", 100), ("node-x", 63)]),
        ["two Constraints on zone, 2 out of 4 nodes are candidates"] = new(
            Pod("p", null, "foo", "bar").With(Constraint(1, "zone", ScheduleAnyway, Foo), Constraint(1, "zone", ScheduleAnyway, Bar)),
            [Node("node-a", "zone=zone1"), Node("node-x", "zone=zone2")],
            [Node("node-b", "zone=zone1"), Node("node-y", "zone=zone2")],
            [
                Pod("p-a1", "node-a", "foo", "bar"), Pod("p-a2", "node-a", "foo"), Pod("p-b1", "node-b", "foo", "bar"),
                Pod("p-y1", "node-y", "foo"), Pod("p-y2", "node-y", "foo", "bar"), Pod("p-y3", "node-y", "foo"),
            ],
            [("node-a", 85), ("node-x", 100)]),
        ["two Constraints on zone and node, with different labelSelectors"] = new(
            Pod("p", null, "foo", "bar").With(Constraint(1, "zone", ScheduleAnyway, Foo), Constraint(1, Hostname, ScheduleAnyway, Bar)),
            ZonedHosts("node-a", "node-b", "node-x", "node-y"),
            [],
            [Pod("p-a1", "node-a", "foo"), Pod("p-b1", "node-b", "foo", "bar"), Pod("p-y1", "node-y", "foo"), Pod("p-y2", "node-y", "bar")],
            [("node-a", 60), ("node-b", 20), ("node-x", 100), ("node-y", 60)]),
        ["two Constraints on zone and node, with different labelSelectors, some nodes have 0 pods"] = new(
            Pod("p", null, "foo", "bar").With(Constraint(1, "zone", ScheduleAnyway, Foo), Constraint(1, Hostname, ScheduleAnyway, Bar)),
            ZonedHosts("node-a", "node-b", "node-x", "node-y"),
            [],
            [Pod("p-b1", "node-b", "bar"), Pod("p-x1", "node-x", "foo"), Pod("p-y1", "node-y", "foo", "bar")],
            [("node-a", 100), ("node-b", 60), ("node-x", 40), ("node-y", 0)]),
        ["two Constraints on zone and node, with different labelSelectors, 3 out of 4 nodes are candidates"] = new(
            Pod("p", null, "foo", "bar").With(Constraint(1, "zone", ScheduleAnyway, Foo), Constraint(1, Hostname, ScheduleAnyway, Bar)),
            ZonedHosts("node-a", "node-b", "node-x"),
            ZonedHosts("node-y"),
            [Pod("p-a1", "node-a", "foo"), Pod("p-b1", "node-b", "foo", "bar"), Pod("p-y1", "node-y", "foo"), Pod("p-y2", "node-y", "bar")],
            [("node-a", 50), ("node-b", 25), ("node-x", 100)]),
        ["existing pods in a different namespace do not count"] = new(
            Pod("p", null, "foo").With(Constraint(1, Hostname, ScheduleAnyway, Foo)),
            [Host("node-a"), Host("node-b")],
            [],
            [Pod("p-a1", "node-a", "foo").InNamespace("ns1"), Pod("p-a2", "node-a", "foo"), Pod("p-b1", "node-b", "foo"), Pod("p-b2", "node-b", "foo")],
            [("node-a", 100), ("node-b", 33)]),
        ["terminating Pods should be excluded"] = new(
            Pod("p", null, "foo").With(Constraint(1, Hostname, ScheduleAnyway, Foo)),
            [Host("node-a"), Host("node-b")],
            [],
            [Pod("p-a", "node-a", "foo").Terminating(), Pod("p-b", "node-b", "foo")],
            [("node-a", 100), ("node-b", 0)]),
        ["minDomains has no effect when ScheduleAnyway"] = new(
            Pod("p", null, "foo").With(Constraint(2, "node", ScheduleAnyway, Foo, minDomains: 10)),
            [Node("node-a", "node=node-a"), Node("node-b", "node=node-b"), Node("node-c", "node=node-c")],
            [],
            [Pod("p-a1", "node-a", "foo"), Pod("p-a2", "node-a", "foo"), Pod("p-b1", "node-b", "foo"), Pod("p-b2", "node-b", "foo"), Pod("p-c1", "node-c", "foo")],
            [("node-a", 75), ("node-b", 75), ("node-c", 100)]),
        ["NodeAffinityPolicy honored with labelSelectors"] = new(
            Pod("p", null, "foo").WithNodeSelector("foo").With(Constraint(1, "node", ScheduleAnyway, Foo)),
            ThreeNodesWithFoo,
            [],
            Spread211,
            [("node-a", 0), ("node-b", 33), ("node-c", 100)]),
        ["NodeAffinityPolicy ignored with labelSelectors"] = new(
            Pod("p", null, "foo").WithNodeSelector("foo").With(Constraint(1, "node", ScheduleAnyway, Foo, nodeAffinityPolicy: "Ignore")),
            ThreeNodesWithFoo,
            [],
            Spread211,
            [("node-a", 66), ("node-b", 100), ("node-c", 100)]),
        ["NodeAffinityPolicy honored with nodeAffinity"] = new(
            Pod("p", null, "foo").WithNodeAffinity("foo", "In", string.Empty).With(Constraint(1, "node", ScheduleAnyway, Foo)),
            ThreeNodesWithFoo,
            [],
            Spread211,
            [("node-a", 0), ("node-b", 33), ("node-c", 100)]),
        ["NodeTaintsPolicy honored"] = new(
            Pod("p", null, "foo").With(Constraint(1, "node", ScheduleAnyway, Foo, nodeTaintsPolicy: "Honor")),
            [Node("node-a", "node=node-a"), Node("node-b", "node=node-b"), Node("node-c", "node=node-c").Tainted()],
            [],
            Spread211,
            [("node-a", 0), ("node-b", 33), ("node-c", 100)]),
        ["NodeTaintsPolicy ignored"] = new(
            Pod("p", null, "foo").With(Constraint(1, "node", ScheduleAnyway, Foo)),
            [Node("node-a", "node=node-a"), Node("node-b", "node=node-b"), Node("node-c", "node=node-c").Tainted()],
            [],
            Spread211,
            [("node-a", 66), ("node-b", 100), ("node-c", 100)]),
        ["matchLabelKeys ANDed with LabelSelector when LabelSelector is empty"] = new(
            Pod("p", null, "foo", "bar").With(
                Constraint(1, "zone", ScheduleAnyway, new V1LabelSelector(), matchLabelKeys: ["foo"]),
                Constraint(1, Hostname, ScheduleAnyway, new V1LabelSelector(), matchLabelKeys: ["bar"])),
            ZonedHosts("node-a", "node-b", "node-c", "node-d"),
            [],
            [Pod("p-a1", "node-a", "foo"), Pod("p-b1", "node-b", "foo", "bar"), Pod("p-y1", "node-c", "foo"), Pod("p-y2", "node-c", "bar")],
            [("node-a", 60), ("node-b", 20), ("node-c", 60), ("node-d", 100)]),
        ["matchLabelKeys ANDed with LabelSelector when LabelSelector isn't empty"] = new(
            Pod("p", null, "foo", "bar", "baz").With(
                Constraint(1, "zone", ScheduleAnyway, Foo),
                Constraint(1, Hostname, ScheduleAnyway, Bar, matchLabelKeys: ["baz"])),
            ZonedHosts("node-a", "node-b", "node-c", "node-d"),
            [],
            [Pod("p-a1", "node-a", "foo"), Pod("p-b1", "node-b", "foo", "bar", "baz"), Pod("p-c1", "node-c", "foo"), Pod("p-c2", "node-c", "bar"), Pod("p-d3", "node-c", "bar", "baz")],
            [("node-a", 60), ("node-b", 20), ("node-c", 60), ("node-d", 100)]),
    };

    public static TheoryData<string> ScoreCaseNames => [.. ScoreCases.Keys];

    [Theory]
    [MemberData(nameof(ScoreCaseNames))]
    public async Task Score_UpstreamCases(string name)
    {
        var c = ScoreCases[name];
        await using var handle = new TestHandle(Snapshot([.. c.Nodes, .. c.FailedNodes], c.Existing), c.Objects);
        var plugin = new Plugin(handle);
        var state = new CycleState();
        var candidates = c.Nodes.Select(n => handle.Snapshot.Get(n.Metadata.Name)!).ToList();

        Assert.Equal(StatusCode.Success, plugin.PreScore(state, c.Pod, candidates).Code);
        var scores = candidates.Select(n => new NodeScore(n.Name, plugin.Score(state, c.Pod, n).Score)).ToArray();
        Assert.True(plugin.NormalizeScore(state, c.Pod, scores).IsSuccess);

        Assert.Equal(c.Want, scores.Select(s => (s.Name, s.Score)));
    }

    [Fact]
    public async Task PreScore_NormalCase_CountsZonesAndWeighsByDomains()
    {
        var pod = Pod("p", null, "foo").With(Constraint(1, "zone", ScheduleAnyway, Foo), Constraint(1, Hostname, ScheduleAnyway, Foo));
        var s = await PreScoreAsync(pod, ZonedHosts("node-a", "node-b").Append(Node("node-x", "zone=zone2", Hostname + "=node-x")), new PodTopologySpreadArgs { DefaultingType = PodTopologySpreadDefaulting.List });

        Assert.Empty(s.IgnoredNodes);
        Assert.Equal([("zone1", 0L), ("zone2", 0L)], s.PodCounts[0].Select(p => (p.Key, p.Value)).Order());
        Assert.Empty(s.PodCounts[1]);
        Assert.Equal([Math.Log(4), Math.Log(5)], s.Weights);
    }

    [Fact]
    public async Task PreScore_NodeWithoutZone_IsIgnored()
    {
        var pod = Pod("p", null, "foo").With(Constraint(1, "zone", ScheduleAnyway, Foo), Constraint(1, Hostname, ScheduleAnyway, Bar));
        var s = await PreScoreAsync(pod, [.. ZonedHosts("node-a", "node-b"), Host("node-x")], new PodTopologySpreadArgs { DefaultingType = PodTopologySpreadDefaulting.List });

        Assert.Equal(["node-x"], s.IgnoredNodes);
        Assert.Equal(["zone1"], s.PodCounts[0].Keys);
        Assert.Equal([Math.Log(3), Math.Log(4)], s.Weights);
    }

    [Fact]
    public async Task PreScore_SystemDefaultsAndAReplicaSet_NodesWithoutZoneFormAZone()
    {
        var pod = Pod("p", null, "foo=tar", "baz=sup").OwnedBy("apps/v1", "ReplicaSet", "rs1");
        V1Node[] nodes =
        [
            Node("node-a", Hostname + "=node-a", "topology.kubernetes.io/zone=mars"),
            Node("node-b", Hostname + "=node-b", "topology.kubernetes.io/zone=mars"),
            Host("node-c"),
            Host("node-d"),
        ];
        var rs = new V1ReplicaSet { Metadata = new V1ObjectMeta { Name = "rs1", NamespaceProperty = "default" }, Spec = new V1ReplicaSetSpec { Selector = Foo } };

        var s = await PreScoreAsync(pod, nodes, new PodTopologySpreadArgs(), rs);

        Assert.Equal([(Hostname, 3, "foo"), ("topology.kubernetes.io/zone", 5, "foo")], s.Constraints.Select(c => (c.TopologyKey, c.MaxSkew, c.Selector.ToString())));
        Assert.Empty(s.IgnoredNodes);
        Assert.Equal([(string.Empty, 0L), ("mars", 0L)], s.PodCounts[1].Select(p => (p.Key, p.Value)).Order());
        Assert.Equal([Math.Log(6), Math.Log(4)], s.Weights);
    }

    [Fact]
    public async Task PreScore_PodConstraints_WinOverDefaults()
    {
        var pod = Pod("p", null, "foo=bar", "baz=sup").OwnedBy("apps/v1", "ReplicaSet", "rs1")
            .With(Constraint(1, "zone", DoNotSchedule, Bar), Constraint(2, "planet", ScheduleAnyway, Match("baz=sup")));
        var rs = new V1ReplicaSet { Metadata = new V1ObjectMeta { Name = "rs1", NamespaceProperty = "default" }, Spec = new V1ReplicaSetSpec { Selector = Foo } };
        var args = new PodTopologySpreadArgs { DefaultingType = PodTopologySpreadDefaulting.List, DefaultConstraints = [Constraint(2, "galaxy", ScheduleAnyway, null)] };

        var s = await PreScoreAsync(pod, [Node("node-a", "planet=mars", "galaxy=andromeda")], args, rs);

        Assert.Equal([("planet", 2, "baz=sup")], s.Constraints.Select(c => (c.TopologyKey, c.MaxSkew, c.Selector.ToString())));
        Assert.Equal(["mars"], s.PodCounts[0].Keys);
    }

    public static TheoryData<string> SkipCases => ["no soft constraints", "a replica set that does not select the pod", "no nodes"];

    [Theory]
    [MemberData(nameof(SkipCases))]
    public async Task PreScore_NothingToSpread_Skip(string name)
    {
        var pod = Pod("p", null, "foo=bar", "baz=sup").OwnedBy("apps/v1", "ReplicaSet", "rs2");
        var rs = new V1ReplicaSet { Metadata = new V1ObjectMeta { Name = "rs1", NamespaceProperty = "default" }, Spec = new V1ReplicaSetSpec { Selector = Exists("tar") } };
        var args = name == "no soft constraints"
            ? new PodTopologySpreadArgs { DefaultingType = PodTopologySpreadDefaulting.List }
            : new PodTopologySpreadArgs { DefaultingType = PodTopologySpreadDefaulting.List, DefaultConstraints = [Constraint(2, "planet", ScheduleAnyway, null)] };
        V1Node[] nodes = name == "no nodes" ? [] : [Node("node-a", "planet=mars")];
        await using var handle = new TestHandle(Snapshot(nodes, []), [rs]);

        Assert.Equal(StatusCode.Skip, new Plugin(handle, args).PreScore(new CycleState(), pod, handle.Snapshot.List()).Code);
    }

    private static async Task<PreScoreState> PreScoreAsync(V1Pod pod, IEnumerable<V1Node> nodes, PodTopologySpreadArgs args, params IKubernetesObject<V1ObjectMeta>[] objects)
    {
        await using var handle = new TestHandle(Snapshot(nodes, []), objects);
        var state = new CycleState();
        Assert.Equal(StatusCode.Success, new Plugin(handle, args).PreScore(state, pod, handle.Snapshot.List()).Code);
        return state.Read<PreScoreState>("PreScorePodTopologySpread")!;
    }

    private static V1Node Host(string name) => Node(name, Hostname + "=" + name);

    private static V1Node[] ZonedHosts(params string[] names) =>
        [.. names.Select(n => Node(n, (n is "node-a" or "node-b" ? "zone=zone1" : "zone=zone2"), Hostname + "=" + n))];

    private sealed record ScoreCase(V1Pod Pod, V1Node[] Nodes, V1Node[] FailedNodes, V1Pod[] Existing, (string, long)[] Want, IKubernetesObject<V1ObjectMeta>[]? Objects = null);
}
