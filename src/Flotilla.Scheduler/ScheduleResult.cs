namespace Flotilla.Scheduler;

/// <summary>A successful placement: the node, and how many nodes were evaluated and found feasible.</summary>
public sealed record ScheduleResult(string SuggestedHost, int EvaluatedNodes, int FeasibleNodes);
