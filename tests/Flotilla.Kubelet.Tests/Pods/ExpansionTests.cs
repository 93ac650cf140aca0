using Flotilla.Kubelet.Pods;

namespace Flotilla.Kubelet.Tests.Pods;

public sealed class ExpansionTests
{
    private static readonly Dictionary<string, string> Vars = new() { ["A"] = "alpha", ["B"] = "$(A)", ["EMPTY"] = string.Empty };

    [Theory]
    [InlineData("$(A)", "alpha")]
    [InlineData("x-$(A)-y", "x-alpha-y")]
    [InlineData("$(B)", "$(A)")]            // values are not expanded again
    [InlineData("$(MISSING)", "$(MISSING)")] // unknown stays as written
    [InlineData("$$(A)", "$(A)")]            // $$ escapes
    [InlineData("$$", "$")]
    [InlineData("$(A", "$(A")]               // no closing parenthesis
    [InlineData("a$", "a$")]                 // a trailing $ stays
    [InlineData("$x$(A)", "$xalpha")]
    [InlineData("$(EMPTY)", "")]
    public void Expand_AsUpstreamDoes(string input, string expected) =>
        Assert.Equal(expected, Expansion.Expand(input, name => Vars.TryGetValue(name, out var v) ? v : null));
}
