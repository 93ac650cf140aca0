using Flotilla.Api.Selectors;
using Flotilla.Api.Tests.Validation;

namespace Flotilla.Api.Tests.Selectors;

public sealed class LabelSelectorParseTests
{
    // Upstream TestSelectorParse: good strings print back as themselves without spaces.
    [Theory]
    [InlineData("x=a,y=b,z=c")]
    [InlineData("")]
    [InlineData("x!=a,y=b")]
    [InlineData("x=")]
    [InlineData("x= ")]
    [InlineData("x=,z= ")]
    [InlineData("x= ,z= ")]
    [InlineData("!x")]
    [InlineData("x>1")]
    [InlineData("x>1,z<5")]
    public void Parse_UpstreamGoodStrings_RoundTrip(string selector) =>
        Assert.Equal(selector.Replace(" ", string.Empty, StringComparison.Ordinal), LabelSelector.Parse(selector).ToString());

    // Upstream TestSetSelectorParser's valid cases, with the canonical form each parses to.
    [Theory]
    [InlineData("\rx", "x")]
    [InlineData("this-is-a-dns.domain.com/key-with-dash", "this-is-a-dns.domain.com/key-with-dash")]
    [InlineData("this-is-another-dns.domain.com/key-with-dash in (so,what)", "this-is-another-dns.domain.com/key-with-dash in (so,what)")]
    [InlineData("0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)", "0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)")]
    [InlineData("foo  in\t (abc)", "foo in (abc)")]
    [InlineData("x notin\n (abc)", "x notin (abc)")]
    [InlineData("x  notin\t\t\t(abc,def)", "x notin (abc,def)")]
    [InlineData("x in (abc,def)", "x in (abc,def)")]
    [InlineData("x in (abc,)", "x in (,abc)")]
    [InlineData("x in ()", "x in ()")]
    [InlineData("x notin (abc,def),bar,z in (),w", "bar,w,x notin (abc,def),z in ()")]
    [InlineData("x,y in (a)", "x,y in (a)")]
    [InlineData("x=a", "x=a")]
    [InlineData("x==a", "x==a")]
    [InlineData("x>1", "x>1")]
    [InlineData("x<7", "x<7")]
    [InlineData("x=a,y!=b", "x=a,y!=b")]
    [InlineData("x=a,y!=b,z in (h,i,j)", "x=a,y!=b,z in (h,i,j)")]
    [InlineData("x notin ( )", "x notin ()")]
    [InlineData("x notin (, a)", "x notin (,a)")]
    [InlineData("x in (b,,a,b)", "x in (,a,b)")]
    [InlineData("a ", "a")]
    [InlineData("a in (x,y,notin, z,in)", "a in (in,notin,x,y,z)")]
    [InlineData("notin=in", "notin=in")]
    [InlineData("in in (in)", "in in (in)")]
    [InlineData("x=a,a=x", "a=x,x=a")]
    [InlineData("a=x,x=a", "a=x,x=a")]
    [InlineData("  ", "")]
    public void Parse_UpstreamValidSelectors_CanonicalForm(string selector, string canonical) =>
        Assert.Equal(canonical, LabelSelector.Parse(selector).ToString());

    [Fact]
    public void Parse_Values_SortedAndDistinct()
    {
        var requirement = Assert.Single(LabelSelector.Parse("env in (prod, dev,prod)").Requirements);

        Assert.Equal("env", requirement.Key);
        Assert.Equal(LabelOperator.In, requirement.Operator);
        Assert.Equal(["dev", "prod"], requirement.Values);
    }

    public static TheoryData<string, string> BadSelectors => new()
    {
        // Upstream TestSelectorParse and TestSetSelectorParser's invalid cases.
        { "x=a||y=b", "unable to parse requirement: values[0][x]: Invalid value: \"a||y\": " + Messages.LabelValue },
        { "x==a==b", "found '==', expected: ',' or 'end of string'" },
        { "!x=a", "found '=', expected: ',' or 'end of string'" },
        { "x<a", "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer" },
        { ",x,y", "found ',', expected: !, identifier, or 'end of string'" },
        { "x nott in (y)", "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt" },
        { "a in (xyz),", "found '', expected: identifier after ','" },
        { "a in (xyz)b notin ()", "found 'b', expected: ',' or 'end of string'" },
        { "a in (xyz abc)", "unable to parse requirement: found 'abc', expected: ',' or ')'" },
        { "a notin(", "unable to parse requirement: found '', expected: ',', ')' or identifier" },
        { "a (", "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt" },
        { "(", "found '(', expected: !, identifier, or 'end of string'" },

        // Messages kube-apiserver users have reported, verbatim.
        { "a/b/c ?=? def", "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": " + Messages.QualifiedName },
        { "app: nginx", "unable to parse requirement: <nil>: Invalid value: \"app:\": " + Messages.NamePart },
        { "app:monolith", "unable to parse requirement: <nil>: Invalid value: \"app:monolith\": " + Messages.NamePart },
        { "*bar", "unable to parse requirement: <nil>: Invalid value: \"*bar\": " + Messages.NamePart },
        { "invalid=label=value", "found '=', expected: ',' or 'end of string'" },
        {
            "app.kubernetes_io/name=vault-secrets-operator",
            "unable to parse requirement: <nil>: Invalid value: \"app.kubernetes_io/name\": prefix part " + Messages.Dns1123Subdomain
        },

        // More of the grammar's corners.
        { "!", "unable to parse requirement: found '', expected: identifier" },
        { "a in (x", "unable to parse requirement: found '', expected: ',' or ')'" },
        { "a in (x,", "unable to parse requirement: found '', expected: ',', or identifier" },
        { "a in x", "unable to parse requirement: found 'x' expected: '('" },
        { "a in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier" },
        { "a=(", "unable to parse requirement: found '(', expected: identifier" },
        { "a=b c", "found 'c', expected: ',' or 'end of string'" },
        { "a,,b", "found ',', expected: identifier after ','" },
        { "a=b,!", "unable to parse requirement: found '', expected: identifier" },
        { "x>-a", "unable to parse requirement: [values[0]: Invalid value: \"-a\": for 'Gt', 'Lt' operators, the value must be an integer, values[0][x]: Invalid value: \"-a\": " + Messages.LabelValue + "]" },
        { "k=" + new string('v', 64), "unable to parse requirement: values[0][k]: Invalid value: \"" + new string('v', 64) + "\": " + Messages.MaxLength63 },
        { "k in (ok,-bad)", "unable to parse requirement: values[0][k]: Invalid value: \"-bad\": " + Messages.LabelValue },
        { "k in (zed,-bad)", "unable to parse requirement: values[0][k]: Invalid value: \"-bad\": " + Messages.LabelValue },
        { "k in (a,z-)", "unable to parse requirement: values[1][k]: Invalid value: \"z-\": " + Messages.LabelValue },
    };

    [Theory]
    [MemberData(nameof(BadSelectors))]
    public void Parse_InvalidSelector_UpstreamMessage(string selector, string message)
    {
        var e = Assert.Throws<LabelSelectorException>(() => LabelSelector.Parse(selector));

        Assert.Equal(message, e.Message);
        Assert.IsAssignableFrom<FormatException>(e);
    }

    [Fact]
    public void TryParse_InvalidAndValid_ReportsInsteadOfThrowing()
    {
        Assert.False(LabelSelector.TryParse("(", out var none, out var error));
        Assert.Null(none);
        Assert.Equal("found '(', expected: !, identifier, or 'end of string'", error);

        Assert.True(LabelSelector.TryParse("app=web", out var selector, out var noError));
        Assert.Null(noError);
        Assert.Equal("app=web", selector.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \t")]
    public void Parse_NothingToParse_Everything(string? selector)
    {
        var parsed = LabelSelector.Parse(selector);

        Assert.True(parsed.IsEmpty);
        Assert.True(parsed.Matches(new Dictionary<string, string> { ["x"] = "y" }));
        Assert.Equal(string.Empty, parsed.ToString());
    }

    // Upstream's lexer reads byte 0 as its end marker: a NUL where a token starts ends the input, one right
    // after a token only ends that token.
    public static TheoryData<string, string> NulSelectors => new()
    {
        { "a=b\0,c", "a=b,c" },
        { "a=b \0,c", "a=b" },
        { "a=b,\0c", "a=b,c" },
        { "a=b, \0c", "error: found '', expected: identifier after ','" },
        { "a\0b=c", "error: unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt" },
    };

    [Theory]
    [MemberData(nameof(NulSelectors))]
    public void Parse_NulCharacter_ReadAsUpstream(string selector, string expected)
    {
        var ok = LabelSelector.TryParse(selector, out var parsed, out var error);

        Assert.Equal(expected, ok ? parsed!.ToString() : "error: " + error);
    }
}
