using Flotilla.Api.Serialization;
using Flotilla.ApiServer.Auth.Rbac;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Auth.Rbac;

public sealed class RuleCompactionTests
{
    [Fact]
    public void CompactRules_MergesAtomsThatDifferOnlyByVerb_InTheirOrder()
    {
        var atoms = PolicyComparator.BreakdownRule(new V1PolicyRule { Verbs = ["get", "list", "watch"], ApiGroups = [""], Resources = ["pods", "secrets"] });

        var compact = RuleCompaction.CompactRules(atoms).Select(RuleCompaction.CompactString).ToList();

        Assert.Equal(
        [
            "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"get\" \"list\" \"watch\"]}",
            "{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\" \"list\" \"watch\"]}",
        ], compact);
    }

    [Fact]
    public void CompactRules_KeepsNamedAndUrlRulesApart()
    {
        var compact = RuleCompaction.CompactRules(
        [
            new V1PolicyRule { Verbs = ["get"], ApiGroups = [""], Resources = ["configmaps"], ResourceNames = ["a"] },
            new V1PolicyRule { Verbs = ["update"], ApiGroups = [""], Resources = ["configmaps"], ResourceNames = ["a"] },
            new V1PolicyRule { Verbs = ["get"], ApiGroups = [""], Resources = ["configmaps"] },
            new V1PolicyRule { Verbs = ["get"], NonResourceURLs = ["/healthz"] },
        ]).Select(RuleCompaction.CompactString).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(
        [
            "{APIGroups:[\"\"], Resources:[\"configmaps\"], ResourceNames:[\"a\"], Verbs:[\"get\" \"update\"]}",
            "{APIGroups:[\"\"], Resources:[\"configmaps\"], Verbs:[\"get\"]}",
            "{NonResourceURLs:[\"/healthz\"], Verbs:[\"get\"]}",
        ], compact);
    }

    [Theory]
    [InlineData("jane", "\"jane\"")]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    [InlineData("line\nbreak", "\"line\\nbreak\"")]
    public void GoQuote_EscapesAsGo(string value, string quoted) => Assert.Equal(quoted, GoQuote.Quote(value));

    [Fact]
    public void GoQuoted_SeparatesBySpaces() =>
        Assert.Equal("[\"team\" \"system:authenticated\"]", RuleCompaction.GoQuoted(["team", "system:authenticated"]));
}
