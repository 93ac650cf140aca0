namespace Flotilla.Scheduler;

/// <summary>No node fits; preemption may have nominated one.</summary>
internal sealed record FitFailure(FitError Error, string? NominatedNodeName) : SchedulingFailure;
