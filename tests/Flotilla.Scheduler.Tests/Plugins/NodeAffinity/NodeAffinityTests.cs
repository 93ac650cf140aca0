using Flotilla.Api.Selectors;
using Flotilla.Scheduler.Framework;
using Flotilla.Scheduler.Plugins.NodeAffinity;
using Flotilla.Scheduler.Tests.Testing;
using k8s.Models;

namespace Flotilla.Scheduler.Tests.Plugins.NodeAffinity;

public class NodeAffinityTests
{
    private const string NameField = "metadata.name";

    // Upstream node_affinity_test.go TestNodeAffinity (the cases without scheduler-enforced affinity): the pod, the
    // node's labels and name, PreFilter's code and node names (null: all nodes), and whether Filter passes.
    public static TheoryData<string, V1Pod, Dictionary<string, string>?, string, StatusCode, string[]?, bool> FilterCases => new()
    {
        { "missing labels", Selector(new() { ["foo"] = "bar" }), null, "", StatusCode.Success, null, false },
        { "same labels", Selector(new() { ["foo"] = "bar" }), new() { ["foo"] = "bar" }, "", StatusCode.Success, null, true },
        { "node labels are superset", Selector(new() { ["foo"] = "bar" }), new() { ["foo"] = "bar", ["baz"] = "blah" }, "", StatusCode.Success, null, true },
        { "node labels are subset", Selector(new() { ["foo"] = "bar", ["baz"] = "blah" }), new() { ["foo"] = "bar" }, "", StatusCode.Success, null, false },
        { "Pod with matchExpressions using In operator that matches the existing node", Required(Expr("foo", "In", "bar", "value2")), new() { ["foo"] = "bar" }, "", StatusCode.Success, null, true },
        { "Pod with matchExpressions using Gt operator that matches the existing node", Required(Expr("kernel-version", "Gt", "0204")), new() { ["kernel-version"] = "0206" }, "", StatusCode.Success, null, true },
        { "Pod with matchExpressions using NotIn operator that matches the existing node", Required(Expr("mem-type", "NotIn", "DDR", "DDR2")), new() { ["mem-type"] = "DDR3" }, "", StatusCode.Success, null, true },
        { "Pod with matchExpressions using Exists operator that matches the existing node", Required(Expr("GPU", "Exists")), new() { ["GPU"] = "NVIDIA-GRID-K1" }, "", StatusCode.Success, null, true },
        { "Pod with affinity that don't match node's labels won't schedule onto the node", Required(Expr("foo", "In", "value1", "value2")), new() { ["foo"] = "bar" }, "", StatusCode.Success, null, false },
        { "Pod with empty MatchExpressions is not a valid value will match no objects and won't schedule onto the node", Required(new V1NodeSelectorTerm { MatchExpressions = [] }), new() { ["foo"] = "bar" }, "", StatusCode.Success, null, false },
        { "Pod with no Affinity will schedule onto a node", new V1Pod { Spec = new V1PodSpec() }, new() { ["foo"] = "bar" }, "", StatusCode.Skip, null, true },
        { "Pod with Affinity but nil NodeSelector will schedule onto a node", new V1Pod { Spec = new V1PodSpec { Affinity = new V1Affinity { NodeAffinity = new V1NodeAffinity() } } }, new() { ["foo"] = "bar" }, "", StatusCode.Skip, null, true },
        { "Pod with multiple matchExpressions ANDed that matches the existing node", Required(Term([Req("GPU", "Exists"), Req("GPU", "NotIn", "AMD", "INTER")])), new() { ["GPU"] = "NVIDIA-GRID-K1" }, "", StatusCode.Success, null, true },
        { "Pod with multiple matchExpressions ANDed that doesn't match the existing node", Required(Term([Req("GPU", "Exists"), Req("GPU", "In", "AMD", "INTER")])), new() { ["GPU"] = "NVIDIA-GRID-K1" }, "", StatusCode.Success, null, false },
        { "Pod with multiple NodeSelectorTerms ORed in affinity, matches the node's labels and will schedule onto the node", Required(Expr("foo", "In", "bar", "value2"), Expr("diffkey", "In", "wrong", "value2")), new() { ["foo"] = "bar" }, "", StatusCode.Success, null, true },
        { "Pod with an Affinity and a PodSpec.NodeSelector both are satisfied, will schedule onto the node", Both(new() { ["foo"] = "bar" }, Expr("foo", "Exists")), new() { ["foo"] = "bar" }, "", StatusCode.Success, null, true },
        { "Pod with an Affinity matches node's labels but the PodSpec.NodeSelector is not satisfied, won't schedule onto the node", Both(new() { ["foo"] = "bar" }, Expr("foo", "Exists")), new() { ["foo"] = "barrrrrr" }, "", StatusCode.Success, null, false },
        { "Pod with an invalid value in Affinity term won't be scheduled onto the node", Required(Expr("foo", "NotIn", "invalid value: ___@#$%^")), new() { ["foo"] = "bar" }, "", StatusCode.Success, null, false },
        { "Pod with matchFields using In operator that matches the existing node", Required(Term(fields: [Req(NameField, "In", "node1")])), null, "node1", StatusCode.Success, ["node1"], true },
        { "Pod with matchFields using In operator that does not match the existing node", Required(Term(fields: [Req(NameField, "In", "node1")])), null, "node2", StatusCode.Success, ["node1"], false },
        {
            "Pod with two terms: matchFields does not match, but matchExpressions matches",
            Required(Term(fields: [Req(NameField, "In", "node1"), Req(NameField, "In", "node2")]), Expr("foo", "In", "bar")), new() { ["foo"] = "bar" }, "node2", StatusCode.Success, null, true
        },
        { "Pod with one term: matchFields does not match, but matchExpressions matches", Required(Term([Req("foo", "In", "bar")], [Req(NameField, "In", "node1")])), new() { ["foo"] = "bar" }, "node2", StatusCode.Success, ["node1"], false },
        { "Pod with one term: both matchFields and matchExpressions match", Required(Term([Req("foo", "In", "bar")], [Req(NameField, "In", "node1")])), new() { ["foo"] = "bar" }, "node1", StatusCode.Success, ["node1"], true },
        { "Pod with two terms: both matchFields and matchExpressions do not match", Required(Term(fields: [Req(NameField, "In", "node1")]), Expr("foo", "In", "not-match-to-bar")), new() { ["foo"] = "bar" }, "node2", StatusCode.Success, null, false },
        { "Pod with two terms of node.Name affinity", Required(Term(fields: [Req(NameField, "In", "node1")]), Term(fields: [Req(NameField, "In", "node2")])), null, "node2", StatusCode.Success, ["node1", "node2"], true },
        { "Pod with two conflicting mach field requirements", Required(Term(fields: [Req(NameField, "In", "node1"), Req(NameField, "In", "node2")])), new() { ["foo"] = "bar" }, "node2", StatusCode.UnschedulableAndUnresolvable, null, false },
    };

    // Upstream TestNodeAffinityPriority (the cases without scheduler-enforced affinity).
    public static TheoryData<string, V1Affinity?, Dictionary<string, string>[], long[]> ScoreCases => new()
    {
        { "no node matches preferred scheduling requirements in NodeAffinity of pod so all nodes' priority is zero", Affinity1, [Label4, Label2, Label3], [0, 0, 0] },
        { "only node1 matches the preferred scheduling requirements of pod", Affinity1, [Label1, Label2, Label3], [100, 0, 0] },
        { "all nodes matches the preferred scheduling requirements of pod but with different priorities", Affinity2, [Label1, Label5, Label2], [18, 100, 36] },
        { "zero weights and empty terms are ignored", ZeroAndEmpty, [Label1, Label2], [0, 0] },
    };

    private static Dictionary<string, string> Label1 => new() { ["foo"] = "bar" };

    private static Dictionary<string, string> Label2 => new() { ["key"] = "value" };

    private static Dictionary<string, string> Label3 => new() { ["az"] = "az1" };

    private static Dictionary<string, string> Label4 => new() { ["abc"] = "az11", ["def"] = "az22" };

    private static Dictionary<string, string> Label5 => new() { ["foo"] = "bar", ["key"] = "value", ["az"] = "az1" };

    private static V1Affinity Affinity1 => Preferred((2, Expr("foo", "In", "bar")));

    private static V1Affinity Affinity2 => Preferred(
        (2, Expr("foo", "In", "bar")),
        (4, Expr("key", "In", "value")),
        (5, Term([Req("foo", "In", "bar"), Req("key", "In", "value"), Req("az", "In", "az1")])));

    private static V1Affinity ZeroAndEmpty => Preferred((0, Expr("foo", "In", "bar")), (5, new V1NodeSelectorTerm()));

    [Theory]
    [MemberData(nameof(FilterCases))]
    public void PreFilterAndFilter_RequiredAffinity_AsUpstream(
        string name, V1Pod pod, Dictionary<string, string>? labels, string nodeName, StatusCode preFilterCode, string[]? nodeNames, bool fits)
    {
        var plugin = new NodeAffinityPlugin();
        var node = Nodes.Info(new V1Node { Metadata = new V1ObjectMeta { Name = nodeName, Labels = labels } });

        foreach (var runPreFilter in new[] { true, false })
        {
            var state = new CycleState();
            if (runPreFilter)
            {
                var (result, preFilter) = plugin.PreFilter(state, pod, [node]);
                Assert.True(preFilterCode == preFilter.Code, $"{name}: PreFilter {preFilter}");
                Assert.Equal(preFilterCode == StatusCode.UnschedulableAndUnresolvable ? ["pod affinity terms conflict"] : [], preFilter.Reasons);
                Assert.Equal(nodeNames, result?.NodeNames?.Order(StringComparer.Ordinal));
            }

            var status = plugin.Filter(state, pod, node);

            Assert.True((fits ? StatusCode.Success : StatusCode.UnschedulableAndUnresolvable) == status.Code, $"{name} (PreFilter: {runPreFilter}): {status}");
            Assert.Equal(fits ? [] : ["node(s) didn't match Pod's node affinity/selector"], status.Reasons);
        }
    }

    [Theory]
    [MemberData(nameof(ScoreCases))]
    public void Score_PreferredTerms_SumOfWeightsNormalised(string name, V1Affinity? affinity, Dictionary<string, string>[] nodeLabels, long[] expected)
    {
        var pod = new V1Pod { Spec = new V1PodSpec { Affinity = affinity } };
        var nodes = nodeLabels.Select((l, i) => Nodes.Info(new V1Node { Metadata = new V1ObjectMeta { Name = $"node{i}", Labels = l } })).ToArray();

        foreach (var runPreScore in new[] { true, false })
        {
            var plugin = new NodeAffinityPlugin();
            var state = new CycleState();
            if (runPreScore)
            {
                Assert.Equal(StatusCode.Success, plugin.PreScore(state, pod, nodes).Code);
            }

            var scores = nodes.Select(n => new NodeScore(n.Name, plugin.Score(state, pod, n).Score)).ToArray();
            plugin.NormalizeScore(state, pod, scores);

            Assert.True(expected.SequenceEqual(scores.Select(s => s.Score)), $"{name} (PreScore: {runPreScore}): {string.Join(", ", scores.Select(s => s.Score))}");
        }
    }

    [Fact]
    public void PreScore_NoPreferredTerms_Skips()
    {
        var status = new NodeAffinityPlugin().PreScore(new CycleState(), new V1Pod { Spec = new V1PodSpec() }, []);

        Assert.Equal(StatusCode.Skip, status.Code);
    }

    [Fact]
    public void PreScore_BrokenPreferredTerm_ErrorsWithUpstreamMessage()
    {
        var pod = new V1Pod { Spec = new V1PodSpec { Affinity = Preferred((2, Expr("invalid key", "In", "bar"))) } };

        var status = new NodeAffinityPlugin().PreScore(new CycleState(), pod, []);

        Assert.Equal(StatusCode.Error, status.Code);
        Assert.Equal(
            "[0].matchExpressions[0].key: Invalid value: \"invalid key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
            status.Message);
    }

    private static V1Pod Selector(Dictionary<string, string> selector) => new() { Spec = new V1PodSpec { NodeSelector = selector } };

    private static V1Pod Required(params V1NodeSelectorTerm[] terms) => Both(null, terms);

    private static V1Pod Both(Dictionary<string, string>? selector, params V1NodeSelectorTerm[] terms) => new()
    {
        Spec = new V1PodSpec
        {
            NodeSelector = selector,
            Affinity = new V1Affinity { NodeAffinity = new V1NodeAffinity { RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector { NodeSelectorTerms = terms } } },
        },
    };

    private static V1Affinity Preferred(params (int Weight, V1NodeSelectorTerm Term)[] terms) => new()
    {
        NodeAffinity = new V1NodeAffinity { PreferredDuringSchedulingIgnoredDuringExecution = [.. terms.Select(t => new V1PreferredSchedulingTerm { Preference = t.Term, Weight = t.Weight })] },
    };

    private static V1NodeSelectorTerm Expr(string key, string op, params string[] values) => Term([Req(key, op, values)]);

    private static V1NodeSelectorTerm Term(V1NodeSelectorRequirement[]? expressions = null, V1NodeSelectorRequirement[]? fields = null) =>
        new() { MatchExpressions = expressions, MatchFields = fields };

    private static V1NodeSelectorRequirement Req(string key, string op, params string[] values) =>
        new() { Key = key, OperatorProperty = op, Values = values.Length == 0 ? null : values };
}
