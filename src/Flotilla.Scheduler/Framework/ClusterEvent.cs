namespace Flotilla.Scheduler.Framework;

/// <summary>A change in the cluster that may let rejected pods fit (upstream ClusterEvent).</summary>
public readonly record struct ClusterEvent(EventResource Resource, ActionType Action)
{
    /// <summary>Whether this (registered) event covers <paramref name="happened"/>.</summary>
    public bool Covers(ClusterEvent happened) => Resource == happened.Resource && (Action & happened.Action) != 0;

    public override string ToString() => $"{Resource}{Action}";
}
