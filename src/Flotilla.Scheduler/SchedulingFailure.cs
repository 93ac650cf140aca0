namespace Flotilla.Scheduler;

/// <summary>Why a cycle did not place its pod.</summary>
internal abstract record SchedulingFailure;
