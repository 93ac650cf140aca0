namespace Flotilla.Scheduler.Plugins.InterPodAffinity;

/// <summary>The plugin's options (upstream InterPodAffinityArgs).</summary>
public sealed record InterPodAffinityArgs
{
    /// <summary>The score an existing pod's required affinity term adds for an incoming pod it matches (0-100).</summary>
    public int HardPodAffinityWeight { get; init; } = 1;

    /// <summary>Skip scoring by existing pods' terms when the incoming pod has no preferred terms of its own.</summary>
    public bool IgnorePreferredTermsOfExistingPods { get; init; }
}
