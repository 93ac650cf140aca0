using Flotilla.Scheduler.Framework;

namespace Flotilla.Scheduler.Tests.Framework;

public class ScoreNormalizerTests
{
    // Upstream helper/normalize_score_test.go.
    [Theory]
    [InlineData(false, new long[] { 1, 2, 3, 4 }, new long[] { 25, 50, 75, 100 })]
    [InlineData(true, new long[] { 1, 2, 3, 4 }, new long[] { 75, 50, 25, 0 })]
    [InlineData(false, new long[] { 1000, 10, 20, 30 }, new long[] { 100, 1, 2, 3 })]
    [InlineData(true, new long[] { 1000, 10, 20, 30 }, new long[] { 0, 99, 98, 97 })]
    [InlineData(false, new long[] { 1, 1, 1, 1 }, new long[] { 100, 100, 100, 100 })]
    [InlineData(false, new long[] { 1000, 1, 1, 1 }, new long[] { 100, 0, 0, 0 })]
    [InlineData(true, new long[] { 0, 1, 1, 1 }, new long[] { 100, 0, 0, 0 })]
    [InlineData(false, new long[] { 0, 0 }, new long[] { 0, 0 })]
    [InlineData(true, new long[] { 0, 0 }, new long[] { 100, 100 })]
    public void Normalize_RawScores_ScaledToMax(bool reverse, long[] raw, long[] expected)
    {
        var scores = raw.Select((s, i) => new NodeScore($"node{i}", s)).ToArray();

        ScoreNormalizer.Normalize(scores, IScorePlugin.MaxNodeScore, reverse);

        Assert.Equal(expected, scores.Select(s => s.Score));
    }
}
