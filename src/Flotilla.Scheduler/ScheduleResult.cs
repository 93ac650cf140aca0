namespace Flotilla.Scheduler;

/// <summary>A successful placement: the node the pod goes to.</summary>
public sealed record ScheduleResult(string SuggestedHost);
