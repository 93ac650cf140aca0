using Flotilla.Api.Selectors;

namespace Flotilla.Api.Tests.Selectors;

public sealed class LabelSelectorMatchTests
{
    private static readonly Dictionary<string, string> FooBar = new() { ["foo"] = "bar", ["baz"] = "blah" };

    // Upstream TestSelectorMatches and TestRequirementSelectorMatching.
    public static TheoryData<string, Dictionary<string, string>, bool> Cases => new()
    {
        { "", new() { ["x"] = "y" }, true },
        { "x=y", new() { ["x"] = "y" }, true },
        { "x=y,z=w", new() { ["x"] = "y", ["z"] = "w" }, true },
        { "x!=y,z!=w", new() { ["x"] = "z", ["z"] = "a" }, true },
        { "notin=in", new() { ["notin"] = "in" }, true },
        { "x", new() { ["x"] = "z" }, true },
        { "!x", new() { ["y"] = "z" }, true },
        { "x>1", new() { ["x"] = "2" }, true },
        { "x<1", new() { ["x"] = "0" }, true },
        { "x=z", new(), false },
        { "x=y", new() { ["x"] = "z" }, false },
        { "x=y,z=w", new() { ["x"] = "w", ["z"] = "w" }, false },
        { "x!=y,z!=w", new() { ["x"] = "z", ["z"] = "w" }, false },
        { "x", new() { ["y"] = "z" }, false },
        { "!x", new() { ["x"] = "z" }, false },
        { "x>1", new() { ["x"] = "0" }, false },
        { "x<1", new() { ["x"] = "2" }, false },
        { "foo=bar", FooBar, true },
        { "baz=blah", FooBar, true },
        { "foo=bar,baz=blah", FooBar, true },
        { "foo=blah", FooBar, false },
        { "baz=bar", FooBar, false },
        { "foo=bar,foobar=bar,baz=blah", FooBar, false },
        { "x in (foo),y notin (alpha)", new() { ["x"] = "foo", ["y"] = "baz" }, true },
        { "x in (foo),y in (alpha)", new() { ["x"] = "foo", ["y"] = "baz" }, false },
        { "x notin (),y", new() { ["y"] = "" }, true },
        { "!x,y", new() { ["y"] = "" }, true },
        { "x notin (),!y", new() { ["y"] = "" }, false },
        { "x in ()", new() { ["y"] = "baz" }, false },
        { "x in ()", new() { ["x"] = "" }, true },
        { "z>1", new() { ["z"] = "2" }, true },
        { "z>1", new() { ["z"] = "v2" }, false },
        { "z<10", new() { ["z"] = "-3" }, true },
        { "z>1", new(), false },
        { "x notin (a,b)", new(), true },
        { "x!=a", new(), true },
        { "x=", new() { ["x"] = "" }, true },
        { "x=", new(), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_UpstreamCases_AsUpstream(string selector, Dictionary<string, string> labels, bool expected) =>
        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(labels));

    [Theory]
    [InlineData("", true)]
    [InlineData("!app", true)]
    [InlineData("app", false)]
    [InlineData("app notin (web)", true)]
    public void Matches_NullLabels_LikeNoLabels(string selector, bool expected) =>
        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(null));

    [Fact]
    public void Everything_MatchesAll_AndIsEmpty()
    {
        Assert.True(LabelSelector.Everything.Matches(new Dictionary<string, string> { ["x"] = "y" }));
        Assert.True(LabelSelector.Everything.IsEmpty);
    }

    [Fact]
    public void Nothing_MatchesNone_AndIsNotEmpty()
    {
        Assert.False(LabelSelector.Nothing.Matches(new Dictionary<string, string> { ["x"] = "y" }));
        Assert.False(LabelSelector.Nothing.Matches(null));
        Assert.False(LabelSelector.Nothing.IsEmpty);
        Assert.Equal(string.Empty, LabelSelector.Nothing.ToString());
    }

    // Upstream TestSetMatches: a set selects exactly its pairs, unvalidated.
    public static TheoryData<Dictionary<string, string>?, bool> Sets => new()
    {
        { null, true },
        { new(), true },
        { new() { ["foo"] = "bar" }, true },
        { new() { ["baz"] = "blah" }, true },
        { new() { ["foo"] = "bar", ["baz"] = "blah" }, true },
        { new() { ["foo"] = "=blah" }, false },
        { new() { ["foo"] = "=bar", ["foobar"] = "bar", ["baz"] = "blah" }, false },
    };

    [Theory]
    [MemberData(nameof(Sets))]
    public void FromSet_Pairs_MatchExactly(Dictionary<string, string>? set, bool expected) =>
        Assert.Equal(expected, LabelSelector.FromSet(set).Matches(FooBar));

    [Fact]
    public void FromSet_Pairs_SortedByKey() =>
        Assert.Equal("a=1,b=2", LabelSelector.FromSet(new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" }).ToString());
}
