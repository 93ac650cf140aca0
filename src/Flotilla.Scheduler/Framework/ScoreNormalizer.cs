namespace Flotilla.Scheduler.Framework;

/// <summary>Upstream helper.DefaultNormalizeScore: rescales raw scores so the highest becomes <c>maxScore</c>.</summary>
public static class ScoreNormalizer
{
    /// <summary>
    /// Scales in place by <c>maxScore * score / highest</c> (integer division, as upstream); with
    /// <paramref name="reverse"/> the result is subtracted from <paramref name="maxScore"/>, so lower raw scores win.
    /// All-zero scores stay 0, or all become <paramref name="maxScore"/> when reversed.
    /// </summary>
    public static void Normalize(NodeScore[] scores, long maxScore, bool reverse)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var highest = 0L;
        foreach (var score in scores)
        {
            highest = Math.Max(highest, score.Score);
        }

        if (highest == 0)
        {
            if (reverse)
            {
                for (var i = 0; i < scores.Length; i++)
                {
                    scores[i].Score = maxScore;
                }
            }

            return;
        }

        for (var i = 0; i < scores.Length; i++)
        {
            var scaled = maxScore * scores[i].Score / highest;
            scores[i].Score = reverse ? maxScore - scaled : scaled;
        }
    }
}
