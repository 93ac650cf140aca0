using Flotilla.Scheduler.Framework;

namespace Flotilla.Scheduler.Runtime;

/// <summary>All PreFilters' verdict: the merged node narrowing, the status, and which plugins rejected.</summary>
public sealed record PreFilterOutcome(PreFilterResult? Result, Status Status, IReadOnlySet<string> RejectingPlugins);
