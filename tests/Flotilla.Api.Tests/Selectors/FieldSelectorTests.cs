using Flotilla.Api.Selectors;

namespace Flotilla.Api.Tests.Selectors;

public sealed class FieldSelectorTests
{
    // Upstream TestSelectorParse's good strings print back unchanged.
    [Theory]
    [InlineData("x=a,y=b,z=c")]
    [InlineData("")]
    [InlineData("x!=a,y=b")]
    [InlineData(@"x=a||y\=b")]
    [InlineData(@"x=a\=\=b")]
    public void Parse_UpstreamGoodStrings_RoundTrip(string selector) =>
        Assert.Equal(selector, FieldSelector.Parse(selector).ToString());

    [Theory]
    [InlineData("x=a,a=x", "a=x,x=a")]
    [InlineData("a=x,x=a", "a=x,x=a")]
    [InlineData("b==1", "b=1")]
    [InlineData("spec.nodeName=,status.phase!=Running", "spec.nodeName=,status.phase!=Running")]
    [InlineData("a=a,", "a=a")]
    [InlineData(",a=a", "a=a")]
    [InlineData(@"k=\,,k2=v2", @"k2=v2,k=\,")]
    [InlineData(@"k=\\,k2=v2", @"k2=v2,k=\\")]
    [InlineData("함=수,목=록", "목=록,함=수")]
    [InlineData(" a = b ", " a = b ")]
    [InlineData("=", "")]
    [InlineData("=,a=b", "a=b")]
    [InlineData("a!b=c", "a!b=c")]
    public void Parse_Terms_SortedCanonicalForm(string selector, string canonical) =>
        Assert.Equal(canonical, FieldSelector.Parse(selector).ToString());

    [Fact]
    public void Parse_Terms_FieldOperatorAndUnescapedValue()
    {
        var requirements = FieldSelector.Parse(@"spec.nodeName!=n\,1,metadata.name==web").Requirements;

        Assert.Equal(
            [new FieldRequirement("metadata.name", FieldOperator.Equal, "web"), new FieldRequirement("spec.nodeName", FieldOperator.NotEqual, "n,1")],
            requirements);
    }

    public static TheoryData<string, string> BadSelectors => new()
    {
        // Upstream TestSelectorParse's bad strings.
        { "x=a||y=b", "invalid field selector: unescaped character in value: 61" },
        { "x==a==b", "invalid field selector: unescaped character in value: 61" },
        { "x=a,b", "invalid selector: 'x=a,b'; can't understand 'b'" },
        { "x in (a)", "invalid selector: 'x in (a)'; can't understand 'x in (a)'" },
        { "x in (a,b,c)", "invalid selector: 'x in (a,b,c)'; can't understand 'b'" },
        { "x", "invalid selector: 'x'; can't understand 'x'" },

        // Escapes, as upstream's UnescapeValue.
        { @"a=\", @"invalid field selector: invalid escape sequence: \" },
        { @"a=\\\", @"invalid field selector: invalid escape sequence: \" },
        { @"a=\a", @"invalid field selector: invalid escape sequence: \a" },
        { @"a=x\,y,b=1\n", @"invalid field selector: invalid escape sequence: \n" },
        { @"a\=b=c", "invalid field selector: unescaped character in value: 61" },
    };

    [Theory]
    [MemberData(nameof(BadSelectors))]
    public void Parse_InvalidSelector_UpstreamMessage(string selector, string message)
    {
        var e = Assert.Throws<FieldSelectorException>(() => FieldSelector.Parse(selector));

        Assert.Equal(message, e.Message);
        Assert.False(FieldSelector.TryParse(selector, out _, out var error));
        Assert.Equal(message, error);
    }

    private static readonly Dictionary<string, string> FieldSet = new()
    {
        ["foo"] = "bar",
        ["baz"] = "blah",
        ["complex"] = @"=value\,\",
    };

    // Upstream TestSelectorMatches.
    public static TheoryData<string, Dictionary<string, string>, bool> Matching => new()
    {
        { "", new() { ["x"] = "y" }, true },
        { "x=y", new() { ["x"] = "y" }, true },
        { "x=y,z=w", new() { ["x"] = "y", ["z"] = "w" }, true },
        { "x!=y,z!=w", new() { ["x"] = "z", ["z"] = "a" }, true },
        { "notin=in", new() { ["notin"] = "in" }, true },
        { "x=y", new() { ["x"] = "z" }, false },
        { "x=y,z=w", new() { ["x"] = "w", ["z"] = "w" }, false },
        { "x!=y,z!=w", new() { ["x"] = "z", ["z"] = "w" }, false },
        { "foo=bar", FieldSet, true },
        { "baz=blah", FieldSet, true },
        { "foo=bar,baz=blah", FieldSet, true },
        { @"foo=bar,baz=blah,complex=\=value\\\,\\", FieldSet, true },
        { "foo=blah", FieldSet, false },
        { "baz=bar", FieldSet, false },
        { "foo=bar,foobar=bar,baz=blah", FieldSet, false },
        { "missing=", FieldSet, true },
        { "missing!=", FieldSet, false },
        { "missing!=x", FieldSet, true },
    };

    [Theory]
    [MemberData(nameof(Matching))]
    public void Matches_UpstreamCases_MissingFieldReadsEmpty(string selector, Dictionary<string, string> fields, bool expected) =>
        Assert.Equal(expected, FieldSelector.Parse(selector).Matches(fields));

    [Fact]
    public void Everything_MatchesAll_AndIsEmpty()
    {
        Assert.True(FieldSelector.Everything.IsEmpty);
        Assert.True(FieldSelector.Everything.Matches(new Dictionary<string, string> { ["x"] = "y" }));
        Assert.True(FieldSelector.Parse("=").IsEmpty);
        Assert.False(FieldSelector.Parse("a=").IsEmpty);
    }

    // Upstream TestRequiresExactMatch, through parsed selectors.
    [Theory]
    [InlineData("", "test", null)]
    [InlineData("a=b", "test", null)]
    [InlineData("test=b", "test", "b")]
    [InlineData("test=", "test", "")]
    [InlineData("test!=b", "test", null)]
    [InlineData("test!=", "test", null)]
    [InlineData("a=,test=b", "test", "b")]
    [InlineData("test!=a,test==b", "test", "b")]
    public void TryGetExactMatch_Selector_ValueOnlyForEquality(string selector, string field, string? expected)
    {
        var found = FieldSelector.Parse(selector).TryGetExactMatch(field, out var value);

        Assert.Equal(expected is not null, found);
        Assert.Equal(expected, value);
    }

    // Upstream TestEscapeValue: escaping and unescaping are inverses.
    [Theory]
    [InlineData("", "")]
    [InlineData("a", "a")]
    [InlineData("=", @"\=")]
    [InlineData(",", @"\,")]
    [InlineData(@"\", @"\\")]
    [InlineData(@"\=\,\", @"\\\=\\\,\\")]
    public void EscapeValue_SpecialCharacters_BackslashEscaped(string value, string escaped)
    {
        Assert.Equal(escaped, FieldSelector.EscapeValue(value));
        Assert.Equal(value, FieldSelector.UnescapeValue(escaped));
    }

    [Theory]
    [InlineData(@"\")]
    [InlineData(@"\\\")]
    [InlineData(@"\a")]
    public void UnescapeValue_InvalidSequence_Throws(string value) =>
        Assert.StartsWith("invalid field selector: invalid escape sequence: ", Assert.Throws<FieldSelectorException>(() => FieldSelector.UnescapeValue(value)).Message);
}
