namespace Flotilla.Scheduler.Framework;

/// <summary>A preferred (anti-)affinity term and its weight (1-100).</summary>
public sealed record WeightedAffinityTerm(AffinityTerm Term, int Weight);
