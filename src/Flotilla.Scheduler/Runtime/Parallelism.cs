namespace Flotilla.Scheduler.Runtime;

/// <summary>How many nodes are filtered or scored at once (upstream's parallelism, default 16; here the core count).</summary>
public static class Parallelism
{
    public static ParallelOptions Options { get; } = new() { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) };
}
