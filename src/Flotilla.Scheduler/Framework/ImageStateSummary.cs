namespace Flotilla.Scheduler.Framework;

/// <summary>An image on a node: its size and on how many nodes it is (for ImageLocality's spread factor).</summary>
public sealed record ImageStateSummary(long Size, int NumNodes);
