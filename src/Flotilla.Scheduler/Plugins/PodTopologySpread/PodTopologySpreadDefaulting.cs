namespace Flotilla.Scheduler.Plugins.PodTopologySpread;

/// <summary>Where the constraints of pods that define none come from (upstream PodTopologySpreadConstraintsDefaulting).</summary>
public enum PodTopologySpreadDefaulting
{
    /// <summary>The built-in constraints: hostname maxSkew 3 and zone maxSkew 5, both ScheduleAnyway.</summary>
    System,

    /// <summary><see cref="PodTopologySpreadArgs.DefaultConstraints"/>, possibly none.</summary>
    List,
}
