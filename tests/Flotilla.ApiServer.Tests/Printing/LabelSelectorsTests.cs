using Flotilla.ApiServer.Printing;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing;

public sealed class LabelSelectorsTests
{
    public static TheoryData<V1LabelSelector?, string> Selectors => new()
    {
        { null, "<none>" },
        { new V1LabelSelector(), "<none>" },
        { new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["foo"] = "bar" } }, "foo=bar" },
        { new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["z"] = "1", ["app"] = "web" } }, "app=web,z=1" },
        {
            new V1LabelSelector
            {
                MatchLabels = new Dictionary<string, string> { ["tier"] = "db" },
                MatchExpressions =
                [
                    new V1LabelSelectorRequirement { Key = "env", OperatorProperty = "In", Values = ["prod", "dev"] },
                    new V1LabelSelectorRequirement { Key = "canary", OperatorProperty = "DoesNotExist" },
                    new V1LabelSelectorRequirement { Key = "zone", OperatorProperty = "NotIn", Values = ["b"] },
                    new V1LabelSelectorRequirement { Key = "owner", OperatorProperty = "Exists" },
                ],
            },
            "!canary,env in (dev,prod),owner,tier=db,zone notin (b)"
        },
        { new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "env", OperatorProperty = "Equals", Values = ["x"] }] }, "<error>" },
        { new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "env", OperatorProperty = "In", Values = [] }] }, "<error>" },
        { new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "env", OperatorProperty = "Exists", Values = ["x"] }] }, "<error>" },
        { new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["bad key!"] = "x" } }, "<error>" },
        { new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["example.com/app"] = "" } }, "example.com/app=" },
    };

    [Theory]
    [MemberData(nameof(Selectors))]
    public void Format_Selector_MatchesFormatLabelSelector(V1LabelSelector? selector, string expected) =>
        Assert.Equal(expected, LabelSelectors.Format(selector));

    [Fact]
    public void FormatLabels_EmptyOrNull_IsNone()
    {
        Assert.Equal("<none>", LabelSelectors.FormatLabels(null));
        Assert.Equal("<none>", LabelSelectors.FormatLabels(new Dictionary<string, string>()));
        Assert.Equal("a=1,b=2", LabelSelectors.FormatLabels(new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" }));
    }

    [Fact]
    public void TryToString_NullAndEmpty_AreBlankNotNone()
    {
        Assert.True(LabelSelectors.TryToString(null, out var nothing));
        Assert.True(LabelSelectors.TryToString(new V1LabelSelector(), out var everything));
        Assert.Equal("", nothing);
        Assert.Equal("", everything);
    }
}
