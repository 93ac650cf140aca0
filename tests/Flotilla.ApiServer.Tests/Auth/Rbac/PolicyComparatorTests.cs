using Flotilla.ApiServer.Auth.Rbac;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Auth.Rbac;

/// <summary>Upstream's policy_comparator_test.go cases, plus subresource wildcards.</summary>
public sealed class PolicyComparatorTests
{
    public static TheoryData<string, V1PolicyRule[], V1PolicyRule[], V1PolicyRule[]> Cases => new()
    {
        { "ExactMatch", [R(["get"], ["v1"], ["builds"])], [R(["get"], ["v1"], ["builds"])], [] },
        {
            "MultipleRulesCoveringSingleRule",
            [R(["delete"], ["v1"], ["deployments"]), R(["delete"], ["v1"], ["builds"]), R(["update"], ["v1"], ["builds", "deployments"])],
            [R(["delete", "update"], ["v1"], ["builds", "deployments"])],
            []
        },
        {
            "MultipleAPIGroupsCoveringSingleRule",
            [
                R(["delete"], ["group1"], ["deployments"]), R(["delete"], ["group1"], ["builds"]), R(["update"], ["group1"], ["builds", "deployments"]),
                R(["delete"], ["group2"], ["deployments"]), R(["delete"], ["group2"], ["builds"]), R(["update"], ["group2"], ["builds", "deployments"]),
            ],
            [R(["delete", "update"], ["group1", "group2"], ["builds", "deployments"])],
            []
        },
        {
            "SingleAPIGroupsCoveringMultiple",
            [R(["delete", "update"], ["group1", "group2"], ["builds", "deployments"])],
            [
                R(["delete"], ["group1"], ["deployments"]), R(["delete"], ["group1"], ["builds"]), R(["update"], ["group1"], ["builds", "deployments"]),
                R(["delete"], ["group2"], ["deployments"]), R(["delete"], ["group2"], ["builds"]), R(["update"], ["group2"], ["builds", "deployments"]),
            ],
            []
        },
        {
            "MultipleRulesMissingSingleVerbResourceCombination",
            [R(["delete", "update"], ["v1"], ["builds", "deployments"]), R(["delete"], ["v1"], ["pods"])],
            [R(["delete", "update"], ["v1"], ["builds", "deployments", "pods"])],
            [R(["update"], ["v1"], ["pods"])]
        },
        { "APIGroupStarCoveringMultiple", [R(["get"], ["*"], ["roles"])], [R(["get"], ["group1", "group2"], ["roles"])], [] },
        { "EnumerationNotCoveringAPIGroupStar", [R(["get"], ["dummy-group"], ["roles"])], [R(["get"], ["*"], ["roles"])], [R(["get"], ["*"], ["roles"])] },
        { "APIGroupStarCoveringStar", [R(["get"], ["*"], ["roles"])], [R(["get"], ["*"], ["roles"])], [] },
        { "VerbStarCoveringMultiple", [R(["*"], ["v1"], ["roles"])], [R(["watch", "list"], ["v1"], ["roles"])], [] },
        {
            "EnumerationNotCoveringVerbStar",
            [R(["get", "list", "watch", "create", "update", "delete", "exec"], ["v1"], ["roles"])],
            [R(["*"], ["v1"], ["roles"])],
            [R(["*"], ["v1"], ["roles"])]
        },
        { "VerbStarCoveringStar", [R(["*"], ["v1"], ["roles"])], [R(["*"], ["v1"], ["roles"])], [] },
        { "ResourceStarCoveringMultiple", [R(["get"], ["v1"], ["*"])], [R(["get"], ["v1"], ["resourcegroup:deployments"])], [] },
        { "EnumerationNotCoveringResourceStar", [R(["get"], ["v1"], ["roles", "resourcegroup:deployments"])], [R(["get"], ["v1"], ["*"])], [R(["get"], ["v1"], ["*"])] },
        { "ResourceStarCoveringStar", [R(["get"], ["v1"], ["*"])], [R(["get"], ["v1"], ["*"])], [] },
        { "ResourceNameEmptyCoveringMultiple", [R(["get"], ["v1"], ["pods"], names: [])], [R(["get"], ["v1"], ["pods"], names: ["foo", "bar"])], [] },
        {
            "EnumerationNotCoveringResourceNameEmpty",
            [R(["get"], ["v1"], ["pods"], names: ["foo", "bar"])],
            [R(["get"], ["v1"], ["pods"], names: [])],
            [R(["get"], ["v1"], ["pods"])]
        },
        { "NonResourceURLs", [U(["*"], "/apis")], [U(["*"], "/apis")], [] },
        { "NonResourceURLsStar", [U(["*"], "*")], [U(["*"], "/apis", "/apis/v1", "/")], [] },
        { "NonResourceURLsStarAfterPrefixDoesntCover", [U(["*"], "/apis/*")], [U(["get"], "/apis", "/apis/v1")], [U(["get"], "/apis")] },
        { "NonResourceURLsStarAfterPrefix", [U(["*"], "/apis/*")], [U(["get"], "/apis/v1/foo", "/apis/v1")], [] },
        {
            "NonResourceURLsWithOtherFields",
            [new V1PolicyRule { Verbs = ["get"], ApiGroups = ["v1"], Resources = ["builds"], NonResourceURLs = ["/apis"] }],
            [new V1PolicyRule { Verbs = ["get"], ApiGroups = ["v1"], Resources = ["builds"], NonResourceURLs = ["/apis"] }],
            []
        },
        {
            "NonResourceURLsWithOtherFieldsFailure",
            [R(["get"], ["v1"], ["builds"])],
            [new V1PolicyRule { Verbs = ["get"], ApiGroups = ["v1"], Resources = ["builds"], NonResourceURLs = ["/apis"] }],
            [U(["get"], "/apis")]
        },
        { "SubresourceStarCoversSubresource", [R(["get"], ["apps"], ["*/scale"])], [R(["get"], ["apps"], ["deployments/scale"])], [] },
        { "SubresourceStarDoesNotCoverResource", [R(["get"], ["apps"], ["*/scale"])], [R(["get"], ["apps"], ["deployments"])], [R(["get"], ["apps"], ["deployments"])] },
        { "ResourceDoesNotCoverItsSubresource", [R(["get"], [""], ["pods"])], [R(["get"], [""], ["pods/log"])], [R(["get"], [""], ["pods/log"])] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Covers_BreaksServantRulesDown_AndReturnsWhatIsMissing(string name, V1PolicyRule[] owner, V1PolicyRule[] servant, V1PolicyRule[] uncovered)
    {
        var (covered, missing) = PolicyComparator.Covers(owner, servant);

        Assert.True(covered == (uncovered.Length == 0), name);
        Assert.Equal(uncovered.Length, missing.Count);
        Assert.All(uncovered, expected => Assert.Contains(missing, actual => PolicyRuleEquality.Instance.Equals(expected, actual)));
    }

    [Theory]
    [InlineData("*", "/api", true)]
    [InlineData("/api", "/api", true)]
    [InlineData("/apis", "/api", false)]
    [InlineData("/api/v1", "/api", false)]
    [InlineData("/api/v1", "/api/v1", true)]
    [InlineData("/api/*", "/api/v1", true)]
    [InlineData("/api/*", "/api", false)]
    [InlineData("/api/*/*", "/api/v1", false)]
    [InlineData("/*/v1/*", "/api/v1", false)]
    public void NonResourceUrlCovers_StarOnlyAtTheEnd(string owner, string requested, bool covers) =>
        Assert.Equal(covers, PolicyComparator.NonResourceUrlCovers(owner, requested));

    [Fact]
    public void BreakdownRule_OneVerbGroupResourceAndName_ThenUrlsWithVerbs()
    {
        var atoms = PolicyComparator.BreakdownRule(new V1PolicyRule
        {
            Verbs = ["get", "list"], ApiGroups = ["", "apps"], Resources = ["pods"], ResourceNames = ["a", "b"], NonResourceURLs = ["/x"],
        }).Select(RuleCompaction.CompactString).ToList();

        Assert.Equal(10, atoms.Count);
        Assert.Equal("{APIGroups:[\"\"], Resources:[\"pods\"], ResourceNames:[\"a\"], Verbs:[\"get\"]}", atoms[0]);
        Assert.Equal("{APIGroups:[\"apps\"], Resources:[\"pods\"], ResourceNames:[\"b\"], Verbs:[\"list\"]}", atoms[7]);
        Assert.Equal("{NonResourceURLs:[\"/x\"], Verbs:[\"list\"]}", atoms[9]);
    }

    private static V1PolicyRule R(string[] verbs, string[] groups, string[] resources, string[]? names = null) =>
        new() { Verbs = verbs, ApiGroups = groups, Resources = resources, ResourceNames = names };

    private static V1PolicyRule U(string[] verbs, params string[] urls) => new() { Verbs = verbs, NonResourceURLs = urls };
}
