namespace Flotilla.Client.LeaderElection;

/// <summary>
/// Leader election on a coordination.k8s.io/v1 Lease (client-go's LeaderElectionConfig, with its component defaults:
/// lease 15 s, renew deadline 10 s, retry every 2 s).
/// </summary>
public sealed record LeaderElectionConfig
{
    public required string Namespace { get; init; }

    public required string Name { get; init; }

    /// <summary>This candidate's identity, written into the Lease as its holder.</summary>
    public required string Identity { get; init; }

    /// <summary>How long others wait, from when they last saw the Lease change, before taking it.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before it gives leadership up.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often candidates try to acquire, and the leader to renew.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Whether a leader stopping on purpose frees the Lease, so the next takes over at once.</summary>
    public bool ReleaseOnCancel { get; init; } = true;
}
