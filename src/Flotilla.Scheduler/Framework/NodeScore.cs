namespace Flotilla.Scheduler.Framework;

/// <summary>One node's score from one plugin (0-100 after normalising).</summary>
public record struct NodeScore(string Name, long Score);
