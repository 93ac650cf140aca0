namespace Flotilla.Kubelet.Node;

/// <summary>The kubelet's settings that Flotilla honours, with upstream's defaults.</summary>
public sealed record KubeletOptions
{
    public required string NodeName { get; init; }

    /// <summary><c>status.capacity</c> (and allocatable: nothing is reserved yet).</summary>
    public IReadOnlyDictionary<string, string> Capacity { get; init; } = new Dictionary<string, string>
    {
        ["cpu"] = "4",
        ["memory"] = "16Gi",
        ["pods"] = "110",
        ["ephemeral-storage"] = "100Gi",
    };

    /// <summary>Labels beyond the well-known ones the kubelet always sets (hostname, os, arch).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The node's InternalIP address, when it has one to offer.</summary>
    public string? InternalIp { get; init; }

    /// <summary>The port the kubelet's API listens on, reported as the Node's <c>daemonEndpoints.kubeletEndpoint.port</c>.</summary>
    public int KubeletPort { get; init; } = DefaultKubeletPort;

    public const int DefaultKubeletPort = 10250;

    /// <summary><c>--node-status-update-frequency</c>: how often the status is computed (and the Lease renewed).</summary>
    public TimeSpan NodeStatusUpdateFrequency { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>nodeStatusReportFrequency</c>: an unchanged status is still posted this often.</summary>
    public TimeSpan NodeStatusReportFrequency { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary><c>nodeLeaseDurationSeconds</c>; the Lease is renewed every quarter of it (10 s).</summary>
    public TimeSpan NodeLeaseDuration { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>The first restart back-off of a failed container (upstream: 10 s; shorter in tests).</summary>
    public TimeSpan RestartBackOffInitial { get; init; } = Pods.RestartBackOff.DefaultInitial;

    /// <summary>The longest restart back-off (upstream: 5 min).</summary>
    public TimeSpan RestartBackOffMax { get; init; } = Pods.RestartBackOff.DefaultMax;

    /// <summary><c>staticPodPath</c>: a directory of pod manifests the kubelet runs itself (static pods), or none.</summary>
    public string? StaticPodPath { get; init; }

    /// <summary>
    /// A real node's kubelet root (<c>--root-dir</c>): its pods' volume files under <c>pods/&lt;uid&gt;/volumes/</c>.
    /// Set, the kubelet also resolves containers' environments and mounts; null (hollow nodes) it does neither.
    /// </summary>
    public string? RootDir { get; init; }

    /// <summary><c>--cluster-dns</c>: the DNS servers of ClusterFirst pods; none makes them fall back to the node's (<c>MissingClusterDNS</c>).</summary>
    public IReadOnlyList<string> ClusterDns { get; init; } = [];

    /// <summary><c>--cluster-domain</c>.</summary>
    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary><c>--resolv-conf</c>: the node's resolver config, the base of pods' DNS.</summary>
    public string ResolvConf { get; init; } = "/etc/resolv.conf";

    /// <summary>Where this node's local-path volumes live, published as the Node's <c>flotilla.dev/local-storage-path</c>; null says nothing (the provisioner's default).</summary>
    public string? LocalStoragePath { get; init; }

    /// <summary>The first back-off after a failed image pull (upstream: 10 s; shorter in tests).</summary>
    public TimeSpan ImagePullBackOffInitial { get; init; } = Pods.RestartBackOff.DefaultInitial;

    /// <summary>The longest image pull back-off (upstream: 5 min).</summary>
    public TimeSpan ImagePullBackOffMax { get; init; } = Pods.RestartBackOff.DefaultMax;
}
