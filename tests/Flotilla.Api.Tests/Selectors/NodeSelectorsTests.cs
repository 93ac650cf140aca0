using Flotilla.Api.Selectors;
using k8s.Models;

namespace Flotilla.Api.Tests.Selectors;

public class NodeSelectorsTests
{
    public static TheoryData<string, V1NodeSelectorTerm[], bool> Cases => new()
    {
        { "In matches", [Expr("zone", "In", "a", "b")], true },
        { "In misses", [Expr("zone", "In", "b")], false },
        { "NotIn on a missing label", [Expr("missing", "NotIn", "a")], true },
        { "Exists", [Expr("zone", "Exists")], true },
        { "DoesNotExist", [Expr("zone", "DoesNotExist")], false },
        { "Gt compares integers", [Expr("cores", "Gt", "7")], true },
        { "Lt compares integers", [Expr("cores", "Lt", "8")], false },
        { "Gt with a non-integer value does not parse", [Expr("cores", "Gt", "x")], false },
        { "Gt against a non-integer label", [Expr("zone", "Gt", "1")], false },
        { "unknown operator does not parse", [Expr("zone", "Near", "a")], false },
        { "invalid value does not parse", [Expr("zone", "NotIn", "not a value!")], false },
        { "expressions are ANDed", [Term([Req("zone", "In", "a"), Req("cores", "Lt", "2")])], false },
        { "terms are ORed", [Expr("zone", "In", "b"), Expr("cores", "Gt", "2")], true },
        { "empty term selects nothing", [new V1NodeSelectorTerm()], false },
        { "matchFields In", [Term(fields: [Req("metadata.name", "In", "node1")])], true },
        { "matchFields NotIn", [Term(fields: [Req("metadata.name", "NotIn", "node1")])], false },
        { "matchFields with two values does not parse", [Term(fields: [Req("metadata.name", "In", "node1", "node2")])], false },
        { "matchFields on another field compares with empty", [Term(fields: [Req("spec.unschedulable", "NotIn", "true")])], true },
        { "labels and fields ANDed", [Term([Req("zone", "In", "a")], [Req("metadata.name", "In", "node2")])], false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_Selector_AsUpstream(string name, V1NodeSelectorTerm[] terms, bool expected)
    {
        var node = new V1Node { Metadata = new V1ObjectMeta { Name = "node1", Labels = new Dictionary<string, string> { ["zone"] = "a", ["cores"] = "8" } } };

        Assert.True(expected == NodeSelectors.Matches(new V1NodeSelector { NodeSelectorTerms = terms }, node), name);
    }

    [Fact]
    public void Parse_InvalidKey_ReportsUpstreamFieldPath()
    {
        var term = NodeSelectorTerm.Parse(Expr("invalid key", "In", "bar"), "[0]");

        var error = Assert.Single(term.Errors);
        Assert.StartsWith("[0].matchExpressions[0].key: Invalid value: \"invalid key\": name part must consist of alphanumeric characters", error, StringComparison.Ordinal);
    }

    [Fact]
    public void MatchesRequired_NodeWithoutName_SkipsFieldRequirements()
    {
        var pod = new V1Pod
        {
            Spec = new V1PodSpec
            {
                Affinity = new V1Affinity { NodeAffinity = new V1NodeAffinity { RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector { NodeSelectorTerms = [Term(fields: [Req("metadata.name", "In", "node1")])] } } },
            },
        };

        Assert.True(NodeSelectors.MatchesRequired(pod, new V1Node { Metadata = new V1ObjectMeta() }));
        Assert.False(NodeSelectors.MatchesRequired(pod, new V1Node { Metadata = new V1ObjectMeta { Name = "node2" } }));
    }

    private static V1NodeSelectorTerm Expr(string key, string op, params string[] values) => Term([Req(key, op, values)]);

    private static V1NodeSelectorTerm Term(V1NodeSelectorRequirement[]? expressions = null, V1NodeSelectorRequirement[]? fields = null) =>
        new() { MatchExpressions = expressions, MatchFields = fields };

    private static V1NodeSelectorRequirement Req(string key, string op, params string[] values) =>
        new() { Key = key, OperatorProperty = op, Values = values.Length == 0 ? null : values };
}
