namespace Flotilla.Scheduler.Tests;

public sealed class FeasibleNodesTests
{
    // Upstream's numFeasibleNodesToFind: every node below 100; else 50% minus 1% per 125 nodes, at least 5%, at least 100.
    [Theory]
    [InlineData(50, 0, 50)]
    [InlineData(100, 0, 100)]
    [InlineData(1000, 0, 420)]
    [InlineData(5000, 0, 500)]
    [InlineData(20000, 0, 1000)]
    [InlineData(5000, 100, 5000)]
    [InlineData(5000, 1, 100)]
    public void NumToFind_FollowsUpstreamsAdaptivePercentage(int nodes, int percentage, int expected) =>
        Assert.Equal(expected, FeasibleNodes.NumToFind(nodes, percentage));
}
