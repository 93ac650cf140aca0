using Flotilla.Controllers.Job;

namespace Flotilla.Controllers.Tests.Job;

public sealed class IndexSetTests
{
    [Theory]
    [InlineData(new int[0], "")]
    [InlineData(new[] { 3 }, "3")]
    [InlineData(new[] { 0, 1 }, "0,1")]
    [InlineData(new[] { 2, 3, 4 }, "2-4")]
    [InlineData(new[] { 1, 3, 4, 5, 7 }, "1,3-5,7")]
    [InlineData(new[] { 7, 1, 5, 3, 4 }, "1,3-5,7")]
    public void WritesRunsAsUpstreamDoes(int[] indexes, string text) =>
        Assert.Equal(text, IndexSet.Of(indexes).ToString());

    [Theory]
    [InlineData("1,3-5,7", 10, "1,3-5,7", 5)]
    [InlineData("1,3-5,7", 5, "1,3,4", 3)]
    [InlineData("x,2,4-y,6", 10, "2,6", 2)]
    [InlineData("", 3, "", 0)]
    [InlineData(null, 3, "", 0)]
    public void ReadsWhatIsBelowCompletions(string? text, int completions, string expected, int count)
    {
        var set = IndexSet.Parse(text, completions);
        Assert.Equal((expected, count), (set.ToString(), set.Count));
    }
}
