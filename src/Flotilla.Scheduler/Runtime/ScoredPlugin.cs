using Flotilla.Scheduler.Framework;

namespace Flotilla.Scheduler.Runtime;

/// <summary>A Score plugin and its weight in the profile.</summary>
public sealed record ScoredPlugin(IScorePlugin Plugin, int Weight);
