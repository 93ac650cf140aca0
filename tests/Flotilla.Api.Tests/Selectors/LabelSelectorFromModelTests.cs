using Flotilla.Api.Selectors;
using Flotilla.Api.Tests.Validation;
using k8s.Models;

namespace Flotilla.Api.Tests.Selectors;

public sealed class LabelSelectorFromModelTests
{
    private static readonly Dictionary<string, string> Web = new() { ["app"] = "web", ["tier"] = "front", ["track"] = "stable" };

    [Fact]
    public void FromModel_Null_MatchesNothing()
    {
        var selector = LabelSelector.FromModel(null);

        Assert.Same(LabelSelector.Nothing, selector);
        Assert.False(selector.Matches(Web));
    }

    [Fact]
    public void FromModel_Empty_MatchesEverything()
    {
        var selector = LabelSelector.FromModel(new V1LabelSelector { MatchLabels = new Dictionary<string, string>(), MatchExpressions = [] });

        Assert.Same(LabelSelector.Everything, selector);
        Assert.True(selector.Matches(Web));
    }

    public static TheoryData<V1LabelSelector, string, bool> Selectors => new()
    {
        { new() { MatchLabels = new Dictionary<string, string> { ["tier"] = "front", ["app"] = "web" } }, "app=web,tier=front", true },
        { new() { MatchLabels = new Dictionary<string, string> { ["app"] = "db" } }, "app=db", false },
        { new() { MatchExpressions = [Expression("track", "In", "stable", "canary")] }, "track in (canary,stable)", true },
        { new() { MatchExpressions = [Expression("track", "NotIn", "stable")] }, "track notin (stable)", false },
        { new() { MatchExpressions = [Expression("tier", "Exists")] }, "tier", true },
        { new() { MatchExpressions = [Expression("tier", "DoesNotExist")] }, "!tier", false },
        {
            new()
            {
                MatchLabels = new Dictionary<string, string> { ["tier"] = "front" },
                MatchExpressions = [Expression("track", "NotIn", "canary"), Expression("app", "Exists")],
            },
            "app,tier=front,track notin (canary)",
            true
        },
    };

    [Theory]
    [MemberData(nameof(Selectors))]
    public void FromModel_LabelsAndExpressions_AndedSortedByKey(V1LabelSelector model, string canonical, bool matchesWeb)
    {
        var selector = LabelSelector.FromModel(model);

        Assert.Equal(canonical, selector.ToString());
        Assert.Equal(matchesWeb, selector.Matches(Web));
    }

    public static TheoryData<V1LabelSelector, string> Invalid => new()
    {
        { new() { MatchExpressions = [Expression("app", "Equals", "web")] }, "\"Equals\" is not a valid pod selector operator" },
        { new() { MatchExpressions = [Expression("app", "In")] }, "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty" },
        { new() { MatchExpressions = [Expression("app", "Exists", "web")] }, "values: Invalid value: [\"web\"]: values set must be empty for exists and does not exist" },
        { new() { MatchLabels = new Dictionary<string, string> { ["app"] = "bad value" } }, "values[0][app]: Invalid value: \"bad value\": " + Messages.LabelValue },
        { new() { MatchLabels = new Dictionary<string, string> { ["a/b/c"] = "x" } }, "key: Invalid value: \"a/b/c\": " + Messages.QualifiedName },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void FromModel_Invalid_UpstreamMessage(V1LabelSelector model, string message) =>
        Assert.Equal(message, Assert.Throws<LabelSelectorException>(() => LabelSelector.FromModel(model)).Message);

    // Values omitted in the manifest decode to null, as here when none are given.
    private static V1LabelSelectorRequirement Expression(string key, string op, params string[] values) =>
        new() { Key = key, OperatorProperty = op, Values = values.Length == 0 ? null : values };
}
