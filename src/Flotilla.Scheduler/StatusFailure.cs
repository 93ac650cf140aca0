using Flotilla.Scheduler.Framework;

namespace Flotilla.Scheduler;

/// <summary>A plugin rejected or failed outside Filter (PreFilter errors, PreScore, Score, Reserve, Permit, bind).</summary>
internal sealed record StatusFailure(Status Status) : SchedulingFailure;
