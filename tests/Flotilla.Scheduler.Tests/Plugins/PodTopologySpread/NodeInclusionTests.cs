using Flotilla.Scheduler.Plugins.PodTopologySpread;
using Flotilla.Scheduler.Tests.Testing;
using k8s.Models;
using static Flotilla.Scheduler.Tests.Testing.Cluster;

namespace Flotilla.Scheduler.Tests.Plugins.PodTopologySpread;

/// <summary>Which nodes a pod's node affinity and tolerations admit (upstream nodeaffinity and Toleration.ToleratesTaint).</summary>
public sealed class NodeInclusionTests
{
    private static readonly V1Node Node1 = Node("node-1", "zone=z1", "cpus=8");

    private static readonly Dictionary<string, (V1Pod Pod, bool Want)> AffinityCases = new()
    {
        ["no selector or affinity"] = (Pod("p", null), true),
        ["nodeSelector matches"] = (WithSelector("zone=z1"), true),
        ["nodeSelector does not match"] = (WithSelector("zone=z2"), false),
        ["In"] = (WithTerms(Term(Expr("zone", "In", "z1", "z2"))), true),
        ["NotIn"] = (WithTerms(Term(Expr("zone", "NotIn", "z1"))), false),
        ["Exists"] = (WithTerms(Term(Expr("zone", "Exists"))), true),
        ["DoesNotExist"] = (WithTerms(Term(Expr("gpu", "DoesNotExist"))), true),
        ["Gt"] = (WithTerms(Term(Expr("cpus", "Gt", "4"))), true),
        ["Lt"] = (WithTerms(Term(Expr("cpus", "Lt", "4"))), false),
        ["expressions of a term are ANDed"] = (WithTerms(Term(Expr("zone", "In", "z1"), Expr("cpus", "Lt", "4"))), false),
        ["terms are ORed"] = (WithTerms(Term(Expr("zone", "In", "z2")), Term(Expr("zone", "In", "z1"))), true),
        ["an empty term selects nothing"] = (WithTerms(new V1NodeSelectorTerm()), false),
        ["no terms select nothing"] = (WithTerms(), false),
        ["a term that does not parse is dropped, the others still count"] = (WithTerms(Term(Expr("cpus", "Gt", "many")), Term(Expr("zone", "Exists"))), true),
        ["an unknown operator makes the term not parse"] = (WithTerms(Term(Expr("zone", "Near", "z1"))), false),
        ["matchFields on the node name"] = (WithTerms(Fields("In", "node-1")), true),
        ["matchFields NotIn the node name"] = (WithTerms(Fields("NotIn", "node-1")), false),
        ["matchFields need exactly one value"] = (WithTerms(Fields("In", "node-1", "node-2")), false),
        ["nodeSelector and affinity are ANDed"] = (WithSelector(WithTerms(Term(Expr("zone", "In", "z1"))), "cpus=4"), false),
    };

    private static readonly Dictionary<string, (V1Taint[] Taints, V1Toleration[] Tolerations, bool Want)> TaintCases = new()
    {
        ["no taints"] = ([], [], true),
        ["an untolerated NoSchedule taint"] = ([Taint("dedicated", "db", "NoSchedule")], [], false),
        ["an untolerated NoExecute taint"] = ([Taint("dedicated", "db", "NoExecute")], [], false),
        ["PreferNoSchedule taints do not count"] = ([Taint("dedicated", "db", "PreferNoSchedule")], [], true),
        ["Equal with the same value"] = ([Taint("dedicated", "db", "NoSchedule")], [Toleration("dedicated", "Equal", "db", "NoSchedule")], true),
        ["an empty operator means Equal"] = ([Taint("dedicated", "db", "NoSchedule")], [Toleration("dedicated", null, "web", "NoSchedule")], false),
        ["Exists ignores the value"] = ([Taint("dedicated", "db", "NoSchedule")], [Toleration("dedicated", "Exists", null, "NoSchedule")], true),
        ["an empty key with Exists tolerates every taint"] = ([Taint("a", "1", "NoSchedule"), Taint("b", "2", "NoExecute")], [Toleration(null, "Exists", null, null)], true),
        ["another effect does not tolerate"] = ([Taint("dedicated", "db", "NoExecute")], [Toleration("dedicated", "Exists", null, "NoSchedule")], false),
        ["every taint must be tolerated"] = ([Taint("a", "1", "NoSchedule"), Taint("b", "2", "NoSchedule")], [Toleration("a", "Exists", null, null)], false),
    };

    public static TheoryData<string> AffinityCaseNames => [.. AffinityCases.Keys];

    public static TheoryData<string> TaintCaseNames => [.. TaintCases.Keys];

    [Theory]
    [MemberData(nameof(AffinityCaseNames))]
    public void MatchesNodeAffinity_UpstreamSemantics(string name)
    {
        var (pod, want) = AffinityCases[name];

        Assert.Equal(want, NodeInclusion.Of(pod).MatchesNodeAffinity(Node1));
    }

    [Theory]
    [MemberData(nameof(TaintCaseNames))]
    public void ToleratesTaints_UpstreamSemantics(string name)
    {
        var (taints, tolerations, want) = TaintCases[name];
        var node = Node("node-1");
        node.Spec.Taints = taints;
        var pod = Make.Pod("p", tolerations: tolerations);

        Assert.Equal(want, NodeInclusion.Of(pod).ToleratesTaints(node));
    }

    private static V1Pod WithSelector(params string[] labels) => WithSelector(Pod("p", null), labels);

    private static V1Pod WithSelector(V1Pod pod, params string[] labels)
    {
        pod.Spec.NodeSelector = LabelSets.Of(labels);
        return pod;
    }

    private static V1Pod WithTerms(params V1NodeSelectorTerm[] terms)
    {
        var pod = Pod("p", null);
        pod.Spec.Affinity = new V1Affinity { NodeAffinity = new V1NodeAffinity { RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector { NodeSelectorTerms = terms } } };
        return pod;
    }

    private static V1NodeSelectorTerm Term(params V1NodeSelectorRequirement[] expressions) => new() { MatchExpressions = expressions };

    private static V1NodeSelectorTerm Fields(string op, params string[] values) => new() { MatchFields = [Expr("metadata.name", op, values)] };

    private static V1NodeSelectorRequirement Expr(string key, string op, params string[] values) => new() { Key = key, OperatorProperty = op, Values = values };

    private static V1Taint Taint(string key, string value, string effect) => new() { Key = key, Value = value, Effect = effect };

    private static V1Toleration Toleration(string? key, string? op, string? value, string? effect) => new() { Key = key, OperatorProperty = op, Value = value, Effect = effect };
}
