using Flotilla.Scheduler.Framework;
using Flotilla.Scheduler.Tests.Testing;
using k8s.Models;
using static Flotilla.Scheduler.Tests.Plugins.InterPodAffinity.Affinity;
using static Flotilla.Scheduler.Tests.Testing.Cluster;
using Plugin = Flotilla.Scheduler.Plugins.InterPodAffinity.InterPodAffinityPlugin;
using PreFilterState = Flotilla.Scheduler.Plugins.InterPodAffinity.PreFilterState;
using TopologyCounts = Flotilla.Scheduler.Plugins.InterPodAffinity.TopologyCounts;

namespace Flotilla.Scheduler.Tests.Plugins.InterPodAffinity;

/// <summary>PreFilter, Filter and the preemption extensions, with upstream's cases (filtering_test.go).</summary>
public sealed class InterPodAffinityFilterTests
{
    private const string NoAffinity = Plugin.ReasonAffinityRulesNotMatch;
    private const string NoAntiAffinity = Plugin.ReasonAntiAffinityRulesNotMatch;
    private const string NoExistingAntiAffinity = Plugin.ReasonExistingAntiAffinityRulesNotMatch;

    private static readonly string[] PodLabel = ["service=securityscan"];
    private static readonly string[] PodLabel2 = ["security=S1"];
    private static readonly V1Node Node1 = Node("node1", "region=r1", "zone=z11");
    private static readonly (string Key, string Value) NodeA = ("hostname", "nodeA");

    private static readonly Dictionary<string, SingleNodeCase> SingleNodeCases = new()
    {
        ["A pod that has no required pod affinity scheduling rules can schedule onto a node with no existing pods"] = new(
            Pod("p", null), [], null),
        ["satisfies with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using In operator that matches the existing pod"] = new(
            Pod("p", null, PodLabel2).Requiring(In("service", "region", "securityscan", "value2")), [Existing()], null),
        ["satisfies the pod with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using not in operator in labelSelector that matches the existing pod"] = new(
            Pod("p", null, PodLabel2).Requiring(NotIn("service", "region", "securityscan3", "value3")), [Existing()], null),
        ["Does not satisfy the PodAffinity with labelSelector because of diff Namespace"] = new(
            Pod("p", null, PodLabel2).Requiring(In("service", string.Empty, "securityscan", "value2").InNamespaces("DiffNameSpace")),
            [Pod("e", "node1", PodLabel).InNamespace("ns")],
            NoAffinity),
        ["Doesn't satisfy the PodAffinity because of unmatching labelSelector with the existing pod"] = new(
            Pod("p", null, PodLabel).Requiring(In("service", string.Empty, "antivirusscan", "value2")), [Existing()], NoAffinity),
        ["satisfies the PodAffinity with different label Operators in multiple RequiredDuringSchedulingIgnoredDuringExecution "] = new(
            Pod("p", null, PodLabel2).Requiring(
                Term("region", Req("service", "Exists"), Req("wrongkey", "DoesNotExist")),
                Term("region", Req("service", "In", "securityscan"), Req("service", "NotIn", "WrongValue"))),
            [Existing()],
            null),
        ["The labelSelector requirements(items of matchExpressions) are ANDed, the pod cannot schedule onto the node because one of the matchExpression item don't match."] = new(
            Pod("p", null, PodLabel2).Requiring(
                Term("region", Req("service", "Exists"), Req("wrongkey", "DoesNotExist")),
                Term("region", Req("service", "In", "securityscan2"), Req("service", "NotIn", "WrongValue"))),
            [Existing()],
            NoAffinity),
        ["satisfies the PodAffinity and PodAntiAffinity with the existing pod"] = new(
            Pod("p", null, PodLabel2).Requiring(In("service", "region", "securityscan", "value2")).Avoiding(In("service", "node", "antivirusscan", "value2")),
            [Existing()],
            null),
        ["satisfies the PodAffinity and PodAntiAffinity and PodAntiAffinity symmetry with the existing pod"] = new(
            Pod("p", null, PodLabel2).Requiring(In("service", "region", "securityscan", "value2")).Avoiding(In("service", "node", "antivirusscan", "value2")),
            [Existing().Avoiding(In("service", "node", "antivirusscan", "value2"))],
            null),
        ["satisfies the PodAffinity but doesn't satisfy the PodAntiAffinity with the existing pod"] = new(
            Pod("p", null, PodLabel2).Requiring(In("service", "region", "securityscan", "value2")).Avoiding(In("service", "zone", "securityscan", "value2")),
            [Existing()],
            NoAntiAffinity),
        ["satisfies the PodAffinity and PodAntiAffinity but doesn't satisfy PodAntiAffinity symmetry with the existing pod"] = new(
            Pod("p", null, PodLabel).Requiring(In("service", "region", "securityscan", "value2")).Avoiding(In("service", "node", "antivirusscan", "value2")),
            [Existing().Avoiding(In("service", "zone", "securityscan", "value2"))],
            NoExistingAntiAffinity),
        ["pod matches its own Label in PodAffinity and that matches the existing pod Labels"] = new(
            Pod("p", null, PodLabel).Requiring(NotIn("service", "region", "securityscan", "value2")),
            [Pod("e", "node2", PodLabel)],
            NoAffinity),
        ["verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. doesn't satisfy PodAntiAffinity symmetry with the existing pod"] = new(
            Pod("p", null, PodLabel), [Existing().Avoiding(In("service", "zone", "securityscan", "value2"))], NoExistingAntiAffinity),
        ["verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. satisfy PodAntiAffinity symmetry with the existing pod"] = new(
            Pod("p", null, PodLabel), [Existing().Avoiding(NotIn("service", "zone", "securityscan", "value2"))], null),
        ["satisfies the PodAntiAffinity with existing pod but doesn't satisfy PodAntiAffinity symmetry with incoming pod"] = new(
            Pod("p", null, PodLabel).Avoiding(Exists("service", "region"), Exists("security", "region")),
            [Pod("e", "node1", PodLabel2).Avoiding(Exists("security", "zone"))],
            NoAntiAffinity),
        ["PodAntiAffinity symmetry check a1: incoming pod and existing pod partially match each other on AffinityTerms"] = new(
            Pod("p", null, PodLabel).Avoiding(Exists("service", "zone"), Exists("security", "zone")),
            [Pod("e", "node1", PodLabel2).Avoiding(Exists("security", "zone"))],
            NoAntiAffinity),
        ["PodAntiAffinity symmetry check a2: incoming pod and existing pod partially match each other on AffinityTerms"] = new(
            Pod("p", null, PodLabel2).Avoiding(Exists("security", "zone")),
            [Existing().Avoiding(Exists("service", "zone"), Exists("security", "zone"))],
            NoExistingAntiAffinity),
        ["PodAntiAffinity symmetry check b1: incoming pod and existing pod partially match each other on AffinityTerms"] = new(
            Pod("p", null, "abc", "xyz").Avoiding(Exists("abc", "zone"), Exists("def", "zone")),
            [Pod("e", "node1", "def", "xyz").Avoiding(Exists("abc", "zone"), Exists("def", "zone"))],
            NoAntiAffinity),
        ["PodAntiAffinity symmetry check b2: incoming pod and existing pod partially match each other on AffinityTerms"] = new(
            Pod("p", null, "def", "xyz").Avoiding(Exists("abc", "zone"), Exists("def", "zone")),
            [Pod("e", "node1", "abc", "xyz").Avoiding(Exists("abc", "zone"), Exists("def", "zone"))],
            NoAntiAffinity),
        ["affinity with NamespaceSelector"] = new(
            Pod("p", null, PodLabel2).Requiring(In("service", "region", "securityscan", "value2").InTeam("team1")),
            [Existing().InNamespace("subteam1.team1")],
            null),
        ["affinity with non-matching NamespaceSelector"] = new(
            Pod("p", null, PodLabel2).Requiring(In("service", "region", "securityscan", "value2").InTeam("team1")),
            [Existing().InNamespace("subteam1.team2")],
            NoAffinity),
        ["anti-affinity with matching NamespaceSelector"] = new(
            Pod("p", null, PodLabel2).InNamespace("subteam1.team1").Avoiding(In("service", "zone", "securityscan", "value2").InTeam("team1")),
            [Existing().InNamespace("subteam2.team1")],
            NoAntiAffinity),
        ["anti-affinity with matching all NamespaceSelector"] = new(
            Pod("p", null, PodLabel2).InNamespace("subteam1.team1").Avoiding(In("service", "zone", "securityscan", "value2").InAllNamespaces()),
            [Existing().InNamespace("subteam2.team1")],
            NoAntiAffinity),
        ["anti-affinity with non-matching NamespaceSelector"] = new(
            Pod("p", null, PodLabel2).InNamespace("subteam1.team1").Avoiding(In("service", "zone", "securityscan", "value2").InTeam("team1")),
            [Existing().InNamespace("subteam1.team2")],
            null),
        // The existing pod's namespace selector is matched against the labels of the incoming pod's namespace.
        ["existing pod's anti-affinity with a NamespaceSelector matching the incoming pod's namespace"] = new(
            Pod("p", null, PodLabel).InNamespace("subteam2.team1"),
            [Pod("e", "node1").InNamespace("subteam1.team2").Avoiding(In("service", "zone", "securityscan").InTeam("team1"))],
            NoExistingAntiAffinity),
        ["existing pod's anti-affinity with a NamespaceSelector not matching the incoming pod's namespace"] = new(
            Pod("p", null, PodLabel).InNamespace("subteam2.team2"),
            [Pod("e", "node1").InNamespace("subteam1.team2").Avoiding(In("service", "zone", "securityscan").InTeam("team1"))],
            null),
    };

    private static readonly Dictionary<string, MultiNodeCase> MultiNodeCases = new()
    {
        ["A pod can be scheduled onto all the nodes that have the same topology key & label value with one of them has an existing pod that matches the affinity rules"] = new(
            Pod("p", null).Requiring(In("foo", "region", "bar")),
            [Pod("p1", "node1", "foo=bar")],
            [Node("node1", "region=China"), Node("node2", "region=China", "az=az1"), Node("node3", "region=India")],
            [null, null, NoAffinity]),
        ["The affinity rule is to schedule all of the pods of this collection to the same zone. The first pod of the collection should not be blocked from being scheduled onto any node, even there's no existing pod that matches the rule anywhere."] = new(
            Pod("p", null, "foo=bar", "service=securityscan").Requiring(In("foo", "zone", "bar"), In("service", "zone", "securityscan")),
            [Pod("p1", "nodeA", "foo=bar")],
            [Node("nodeA", "zone=az1", "hostname=h1"), Node("nodeB", "zone=az2", "hostname=h2")],
            [null, null]),
        ["The first pod of the collection can only be scheduled on nodes labelled with the requested topology keys"] = new(
            Pod("p", null, "foo=bar", "service=securityscan").Requiring(In("foo", "zone", "bar"), In("service", "zone", "securityscan")),
            [Pod("p1", "nodeA", "foo=bar")],
            [Node("nodeA", "zoneLabel=az1", "hostname=h1"), Node("nodeB", "zoneLabel=az2", "hostname=h2")],
            [NoAffinity, NoAffinity]),
        ["NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod affinity rule. The pod can not be scheduled onto nodeA and nodeB."] = new(
            Pod("p", null).Avoiding(In("foo", "region", "abc")),
            [Pod("e", "nodeA", "foo=abc")],
            [Node("nodeA", "region=r1", "hostname=nodeA"), Node("nodeB", "region=r1", "hostname=nodeB")],
            [NoAntiAffinity, NoAntiAffinity]),
        ["This test ensures that anti-affinity matches a pod when any term of the anti-affinity rule matches a pod."] = new(
            Pod("p", null).Avoiding(In("foo", "region", "abc"), In("service", "zone", "securityscan")),
            [Pod("e", "nodeA", "foo=abc", "service=securityscan")],
            [Node("nodeA", "region=r1", "zone=z1", "hostname=nodeA"), Node("nodeB", "region=r1", "zone=z2", "hostname=nodeB")],
            [NoAntiAffinity, NoAntiAffinity]),
        ["NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod affinity rule. The pod can not be scheduled onto nodeA and nodeB but can be scheduled onto nodeC"] = new(
            Pod("p", null).Avoiding(In("foo", "region", "abc")),
            [Pod("e", "nodeA", "foo=abc")],
            [Node("nodeA", "region=China"), Node("nodeB", "region=China", "az=az1"), Node("nodeC", "region=India")],
            [NoAntiAffinity, NoAntiAffinity, null]),
        ["NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod affinity rule. The pod can not be scheduled onto nodeA, nodeB, but can be scheduled onto nodeC (NodeC has an existing pod that match the inter pod affinity rule but in different namespace)"] = new(
            Pod("p", null, "foo=123").InNamespace("NS1").Avoiding(In("foo", "region", "bar")),
            [Pod("e1", "nodeA", "foo=bar").InNamespace("NS1"), Pod("e2", "nodeC").InNamespace("NS2").Avoiding(In("foo", "region", "123"))],
            [Node("nodeA", "region=China"), Node("nodeB", "region=China", "az=az1"), Node("nodeC", "region=India")],
            [NoAntiAffinity, NoAntiAffinity, null]),
        ["Test incoming pod's anti-affinity: even if labelSelector matches, we still check if topologyKey matches"] = new(
            Pod("p", null).Avoiding(Exists("foo", "invalid-node-label")),
            [Pod("e", "nodeA", "foo")],
            [Node("nodeA", "region=r1", "zone=z1", "hostname=nodeA"), Node("nodeB", "region=r1", "zone=z1", "hostname=nodeB")],
            [null, null]),
        ["Test existing pod's anti-affinity: incoming pod wouldn't considered as a fit as it violates each existingPod's terms on all nodes"] = new(
            Pod("p", null, "foo", "bar"),
            [Pod("e1", "nodeA").Avoiding(Exists("foo", "zone")), Pod("e2", "nodeA").Avoiding(Exists("bar", "region"))],
            [Node("nodeA", "region=r1", "zone=z1", "hostname=nodeA"), Node("nodeB", "region=r1", "zone=z2", "hostname=nodeB")],
            [NoExistingAntiAffinity, NoExistingAntiAffinity]),
        ["Test incoming pod's anti-affinity: incoming pod wouldn't considered as a fit as it at least violates one anti-affinity rule of existingPod"] = new(
            Pod("p", null).Avoiding(Exists("foo", "zone"), Exists("bar", "region")),
            [Pod("e1", "nodeA", "foo"), Pod("e2", "nodeB", "bar")],
            [Node("nodeA", "region=r1", "zone=z1", "hostname=nodeA"), Node("nodeB", "region=r1", "zone=z2", "hostname=nodeB")],
            [NoAntiAffinity, NoAntiAffinity]),
        ["Test existing pod's anti-affinity: only when labelSelector and topologyKey both match, it's counted as a single term match - case when one term has invalid topologyKey"] = new(
            Pod("p", null, "foo", "bar"),
            [Pod("e", "nodeA").Avoiding(Exists("foo", "invalid-node-label"), Exists("bar", "zone"))],
            [Node("nodeA", "region=r1", "zone=z1", "hostname=nodeA"), Node("nodeB", "region=r1", "zone=z2", "hostname=nodeB")],
            [NoExistingAntiAffinity, null]),
        ["Test incoming pod's anti-affinity: only when labelSelector and topologyKey both match, it's counted as a single term match - case when one term has invalid topologyKey"] = new(
            Pod("p", null).Avoiding(Exists("foo", "invalid-node-label"), Exists("bar", "zone")),
            [Pod("podA", "nodeA", "foo", "bar")],
            [Node("nodeA", "region=r1", "zone=z1", "hostname=nodeA"), Node("nodeB", "region=r1", "zone=z2", "hostname=nodeB")],
            [NoAntiAffinity, null]),
        ["Test existing pod's anti-affinity: existingPod on nodeA and nodeB has at least one anti-affinity term matches incoming pod, so incoming pod can only be scheduled to nodeC"] = new(
            Pod("p", null, "foo", "bar"),
            [Pod("e1", "nodeA").Avoiding(Exists("foo", "zone"), Exists("labelA", "zone")), Pod("e2", "nodeB").Avoiding(Exists("bar", "zone"), Exists("labelB", "zone"))],
            [Node("nodeA", "region=r1", "zone=z1", "hostname=nodeA"), Node("nodeB", "region=r1", "zone=z2", "hostname=nodeB"), Node("nodeC", "region=r1", "zone=z3", "hostname=nodeC")],
            [NoExistingAntiAffinity, NoExistingAntiAffinity, null]),
        ["Test incoming pod's affinity: firstly check if all affinityTerms match, and then check if all topologyKeys match"] = new(
            Pod("p", null).Requiring(Exists("foo", "region"), Exists("bar", "zone")),
            [Pod("pod1", "nodeA", "foo", "bar")],
            [Node("nodeA", "region=r1", "zone=z1", "hostname=nodeA"), Node("nodeB", "region=r1", "zone=z1", "hostname=nodeB")],
            [null, null]),
        ["Test incoming pod's affinity: firstly check if all affinityTerms match, and then check if all topologyKeys match, and the match logic should be satisfied on the same pod"] = new(
            Pod("p", null).Requiring(Exists("foo", "region"), Exists("bar", "zone")),
            [Pod("pod1", "nodeA", "foo"), Pod("pod2", "nodeB", "bar")],
            [Node("nodeA", "region=r1", "zone=z1", "hostname=nodeA"), Node("nodeB", "region=r1", "zone=z2", "hostname=nodeB")],
            [NoAffinity, NoAffinity]),
    };

    private static readonly Dictionary<string, AddRemoveCase> AddRemoveCases = new()
    {
        ["preFilterState anti-affinity terms are updated correctly after adding and removing a pod"] = new(
            Pod("pending", null, "foo=bar").Avoiding(In("foo", "region", "bar")),
            [Pod("p1", "nodeA", "foo=bar"), Pod("p2", "nodeC").Avoiding(In("foo", "region", "bar"))],
            Pod("addedPod", "nodeB", "foo=bar").Avoiding(In("foo", "region", "bar")),
            [(("region", "r1"), 2)],
            []),
        ["preFilterState anti-affinity terms are updated correctly after adding and removing a pod with complex terms"] = new(
            Pod("pending", null, "foo=bar").Avoiding(In("foo", "region", "bar", "buzz"), NotIn("service", "zone", "bar", "security", "test")),
            [Pod("p1", "nodeA", "foo=bar"), Pod("p2", "nodeC").Avoiding(In("foo", "region", "bar"))],
            Pod("addedPod", "nodeA", "foo=bar").Avoiding(In("foo", "region", "bar", "buzz"), NotIn("service", "zone", "bar", "security", "test")),
            [(("region", "r1"), 2), (("zone", "z11"), 2), (("zone", "z21"), 1)],
            []),
        ["preFilterState matching pod affinity and anti-affinity are updated correctly after adding and removing a pod"] = new(
            Pod("pending", null, "foo=bar").Requiring(In("foo", "region", "bar", "buzz"), NotIn("service", "zone", "bar", "security", "test")),
            [Pod("p1", "nodeA", "foo=bar"), Pod("p2", "nodeC").Avoiding(In("foo", "region", "bar")).Requiring(In("foo", "region", "bar", "buzz"), NotIn("service", "zone", "bar", "security", "test"))],
            Pod("addedPod", "nodeA", "foo=bar").Avoiding(In("foo", "region", "bar", "buzz"), NotIn("service", "zone", "bar", "security", "test")),
            [],
            [(("region", "r1"), 2), (("zone", "z11"), 2)]),
    };

    private static readonly Dictionary<string, IncomingCase> IncomingCases = new()
    {
        ["no pod has label that violates incoming pod's affinity and anti-affinity"] = new(["bbb"], ["aaa"], ["aaa"], [], []),
        ["existing pod matches incoming pod's affinity and anti-affinity - single term case"] = new(["aaa"], ["aaa"], ["aaa"], [(NodeA, 1)], [(NodeA, 1)]),
        // One count per term.
        ["existing pod matches incoming pod's affinity and anti-affinity - multiple terms case"] = new(["aaa", "bbb"], ["aaa", "bbb"], ["aaa"], [(NodeA, 2)], [(NodeA, 1)]),
        ["existing pod not match incoming pod's affinity but matches anti-affinity"] = new(["aaa"], ["aaa", "bbb"], ["aaa", "bbb"], [], [(NodeA, 1)]),
        ["incoming pod's anti-affinity has more than one term - existing pod violates partial term - case 1"] = new(["aaa", "bbb"], ["aaa", "ccc"], ["aaa", "ccc"], [], [(NodeA, 1)]),
        ["incoming pod's anti-affinity has more than one term - existing pod violates partial term - case 2"] = new(["bbb"], ["aaa", "bbb"], ["aaa", "bbb"], [], [(NodeA, 1)]),
    };

    private static readonly V1Node[] AddRemoveNodes = [Node("nodeA", "region=r1", "zone=z11"), Node("nodeB", "region=r1", "zone=z12"), Node("nodeC", "region=r2", "zone=z21")];

    public static TheoryData<string> SingleNodeCaseNames => [.. SingleNodeCases.Keys];

    public static TheoryData<string> MultiNodeCaseNames => [.. MultiNodeCases.Keys];

    public static TheoryData<string> AddRemoveCaseNames => [.. AddRemoveCases.Keys];

    public static TheoryData<string> IncomingCaseNames => [.. IncomingCases.Keys];

    [Theory]
    [MemberData(nameof(SingleNodeCaseNames))]
    public async Task Filter_SingleNode_UpstreamCases(string name)
    {
        var c = SingleNodeCases[name];

        Assert.Equal(c.Want, (await FilterAsync(c.Pod, c.Existing, [Node1]))[0]);
    }

    [Theory]
    [MemberData(nameof(MultiNodeCaseNames))]
    public async Task Filter_MultipleNodes_UpstreamCases(string name)
    {
        var c = MultiNodeCases[name];

        Assert.Equal(c.Want, await FilterAsync(c.Pod, c.Existing, c.Nodes));
    }

    [Theory]
    [InlineData(NoAffinity, StatusCode.UnschedulableAndUnresolvable)]
    [InlineData(NoAntiAffinity, StatusCode.Unschedulable)]
    [InlineData(NoExistingAntiAffinity, StatusCode.Unschedulable)]
    public async Task Filter_Rejection_PreemptionCanHelpOnlyWithAntiAffinity(string reason, StatusCode code)
    {
        var pod = reason switch
        {
            NoAffinity => Pod("p", null).Requiring(In("service", "region", "none")),
            NoAntiAffinity => Pod("p", null).Avoiding(In("service", "region", "securityscan")),
            _ => Pod("p", null, PodLabel2),
        };
        var existing = reason == NoExistingAntiAffinity ? Existing().Avoiding(Exists("security", "zone")) : Existing();
        await using var handle = new TestHandle(Snapshot([Node1], [existing]));
        var plugin = new Plugin(handle);
        var state = new CycleState();
        plugin.PreFilter(state, pod, handle.Snapshot.List());

        var status = plugin.Filter(state, pod, handle.Snapshot.Get("node1")!);

        Assert.Equal(code, status.Code);
        Assert.Equal([reason], status.Reasons);
    }

    [Theory]
    [MemberData(nameof(AddRemoveCaseNames))]
    public async Task AddPodRemovePod_UpstreamCases_StateAsIfThePodWereThereOrNot(string name)
    {
        var c = AddRemoveCases[name];
        await using var handle = new TestHandle(Snapshot(AddRemoveNodes, c.Existing));
        var plugin = new Plugin(handle);
        var state = new CycleState();
        Assert.True(plugin.PreFilter(state, c.Pending, handle.Snapshot.List()).Status.IsSuccess);
        var s = state.Read<PreFilterState>("PreFilterInterPodAffinity")!;
        var before = Pairs(s);
        var node = handle.Snapshot.Get(c.Added.Spec.NodeName)!;

        Assert.True(plugin.AddPod(state, c.Pending, new PodInfo(c.Added), node).IsSuccess);
        AssertCounts(c.WantAntiAffinity, s.AntiAffinityCounts);
        AssertCounts(c.WantAffinity, s.AffinityCounts);
        Assert.Equal(await AllPodsPairsAsync(c), Pairs(s));

        Assert.True(plugin.RemovePod(state, c.Pending, new PodInfo(c.Added), node).IsSuccess);
        Assert.Equal(before, Pairs(s));
    }

    [Theory]
    [MemberData(nameof(IncomingCaseNames))]
    public async Task PreFilter_UpstreamCases_CountsExistingPodsMatchingTheIncomingTerms(string name)
    {
        var c = IncomingCases[name];
        var pod = Pod("p", null).Requiring([.. c.AffinityKeys.Select(k => Exists(k, "hostname"))]).Avoiding([.. c.AntiAffinityKeys.Select(k => Exists(k, "hostname"))]);
        await using var handle = new TestHandle(Snapshot([Node("nodeA", "hostname=nodeA")], [Pod("normal", "nodeA", c.ExistingLabels)]));
        var state = new CycleState();

        Assert.True(new Plugin(handle).PreFilter(state, pod, handle.Snapshot.List()).Status.IsSuccess);

        var s = state.Read<PreFilterState>("PreFilterInterPodAffinity")!;
        AssertCounts(c.WantAffinity, s.AffinityCounts);
        AssertCounts(c.WantAntiAffinity, s.AntiAffinityCounts);
    }

    [Theory]
    [InlineData("service", "region")]
    [InlineData("security", "node")]
    public async Task PreFilter_InvalidLabelSelector_UnresolvableParsingError(string badTermKey, string topologyKey)
    {
        var pod = Pod("p", null, PodLabel).Requiring(In(badTermKey, topologyKey, "{{.bad-value.}}"));
        await using var handle = new TestHandle(Snapshot([Node1], []));

        var status = new Plugin(handle).PreFilter(new CycleState(), pod, handle.Snapshot.List()).Status;

        Assert.Equal(StatusCode.UnschedulableAndUnresolvable, status.Code);
        Assert.StartsWith("parsing pod: ", status.Message, StringComparison.Ordinal);
        Assert.Contains("Invalid value: \"{{.bad-value.}}\"", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filter_WithoutPreFilterState_Error()
    {
        await using var handle = new TestHandle(Snapshot([Node1], []));

        var status = new Plugin(handle).Filter(new CycleState(), Pod("p", null), handle.Snapshot.Get("node1")!);

        Assert.Equal((StatusCode.Error, "error reading \"PreFilterInterPodAffinity\" from cycleState: not found"), (status.Code, status.Message));
    }

    [Fact]
    public async Task Clone_CountsAreIndependent()
    {
        var pending = Pod("pending", null, "foo=bar").Avoiding(In("foo", "region", "bar"));
        await using var handle = new TestHandle(Snapshot(AddRemoveNodes, [Pod("p1", "nodeA", "foo=bar")]));
        var plugin = new Plugin(handle);
        var state = new CycleState();
        plugin.PreFilter(state, pending, handle.Snapshot.List());

        var copy = state.Clone();
        plugin.RemovePod(copy, pending, new PodInfo(Pod("p1", "nodeA", "foo=bar")), handle.Snapshot.Get("nodeA")!);

        Assert.Equal(StatusCode.Success, plugin.Filter(copy, pending, handle.Snapshot.Get("nodeB")!).Code);
        Assert.Equal(StatusCode.Unschedulable, plugin.Filter(state, pending, handle.Snapshot.Get("nodeB")!).Code);
    }

    [Fact]
    public async Task EventsToRegister_BoundPodsAndNodeLabels()
    {
        await using var handle = new TestHandle(Nodes.Lister());

        Assert.Equal(
            [
                new ClusterEvent(EventResource.AssignedPod, ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete),
                new ClusterEvent(EventResource.Node, ActionType.Add | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint),
            ],
            new Plugin(handle).EventsToRegister());
    }

    private static V1Pod Existing() => Pod("e", "node1", PodLabel);

    /// <summary>Runs PreFilter then Filter on each node (a PreFilter Skip counts as fitting everywhere); the rejection reason per node, null when it fits.</summary>
    private static async Task<string?[]> FilterAsync(V1Pod pod, V1Pod[] existing, V1Node[] nodes)
    {
        await using var handle = new TestHandle(Snapshot(nodes, existing), Namespaces);
        var plugin = new Plugin(handle);
        var state = new CycleState();
        var preFilter = plugin.PreFilter(state, pod, handle.Snapshot.List()).Status;
        if (preFilter.Code == StatusCode.Skip)
        {
            return new string?[nodes.Length];
        }

        Assert.Equal(StatusCode.Success, preFilter.Code);
        return [.. nodes.Select(n => plugin.Filter(state, pod, handle.Snapshot.Get(n.Metadata.Name)!)).Select(s => s.IsSuccess ? null : s.Message)];
    }

    private static async Task<string> AllPodsPairsAsync(AddRemoveCase c)
    {
        await using var handle = new TestHandle(Snapshot(AddRemoveNodes, [.. c.Existing, c.Added]));
        var state = new CycleState();
        new Plugin(handle).PreFilter(state, c.Pending, handle.Snapshot.List());
        return Pairs(state.Read<PreFilterState>("PreFilterInterPodAffinity")!);
    }

    // The three counts over every topology pair on the test nodes, to compare whole states.
    private static string Pairs(PreFilterState s) => string.Join(
        ";",
        from n in AddRemoveNodes
        from l in n.Metadata.Labels
        select $"{l.Key}={l.Value}:{s.ExistingAntiAffinityCounts[l.Key, l.Value]}/{s.AffinityCounts[l.Key, l.Value]}/{s.AntiAffinityCounts[l.Key, l.Value]}");

    private static void AssertCounts(((string Key, string Value) Pair, long Count)[] want, TopologyCounts got)
    {
        Assert.Equal(want.Length, got.Count);
        foreach (var (pair, count) in want)
        {
            Assert.Equal(count, got[pair.Key, pair.Value]);
        }
    }

    private sealed record SingleNodeCase(V1Pod Pod, V1Pod[] Existing, string? Want);

    private sealed record MultiNodeCase(V1Pod Pod, V1Pod[] Existing, V1Node[] Nodes, string?[] Want);

    private sealed record IncomingCase(string[] ExistingLabels, string[] AffinityKeys, string[] AntiAffinityKeys, ((string Key, string Value) Pair, long Count)[] WantAffinity, ((string Key, string Value) Pair, long Count)[] WantAntiAffinity);

    private sealed record AddRemoveCase(V1Pod Pending, V1Pod[] Existing, V1Pod Added, ((string Key, string Value) Pair, long Count)[] WantAntiAffinity, ((string Key, string Value) Pair, long Count)[] WantAffinity);
}
