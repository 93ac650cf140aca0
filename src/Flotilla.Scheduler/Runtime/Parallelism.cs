namespace Flotilla.Scheduler.Runtime;

/// <summary>
/// How nodes are filtered and scored in parallel (upstream's parallelizer): across the cores, in chunks — one node's
/// plugins take well under a microsecond, less than handing a single node to another core would cost.
/// </summary>
public static class Parallelism
{
    private const int MinChunk = 16;

    public static ParallelOptions Options { get; } = new() { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) };

    /// <summary>The chunk size for <paramref name="count"/> items: about eight chunks per core.</summary>
    public static int ChunkSize(int count) => Math.Max(MinChunk, count / (Options.MaxDegreeOfParallelism * 8));

    /// <summary>Runs <paramref name="body"/> over [from, to) chunks covering 0..<paramref name="count"/>.</summary>
    public static void ForChunks(int count, Action<int, int> body)
    {
        var chunk = ChunkSize(count);
        Parallel.For(0, (count + chunk - 1) / chunk, Options, c => body(c * chunk, Math.Min(count, (c + 1) * chunk)));
    }
}
