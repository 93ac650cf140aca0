using Flotilla.Api.Serialization;
using System.CommandLine;
using System.CommandLine.Parsing;
using Flotilla.Controllers;

namespace Flotilla.Cli.Commands;

/// <summary>kube-controller-manager's flags that Flotilla honours, checked as they are parsed (a bad value exits 2).</summary>
public sealed class ControllerManagerFlags
{
    private static readonly ControllerManagerOptions Defaults = new();

    private readonly Option<int> _replicaSetSyncs = Workers("--concurrent-replicaset-syncs", "ReplicaSets synced at once", Defaults.ReplicaSetWorkers);
    private readonly Option<int> _rcSyncs = Workers("--concurrent-rc-syncs", "ReplicationControllers synced at once", Defaults.ReplicationControllerWorkers);
    private readonly Option<int> _deploymentSyncs = Workers("--concurrent-deployment-syncs", "Deployments synced at once", Defaults.DeploymentWorkers);
    private readonly Option<int> _namespaceSyncs = Workers("--concurrent-namespace-syncs", "Namespaces emptied at once", Defaults.NamespaceWorkers);
    private readonly Option<int> _endpointSyncs = Workers("--concurrent-endpoint-syncs", "Services whose Endpoints are synced at once", Defaults.EndpointWorkers);
    private readonly Option<int> _sliceSyncs = Workers("--concurrent-service-endpoint-syncs", "Services whose EndpointSlices are synced at once", Defaults.EndpointSliceWorkers);
    private readonly Option<int> _gcSyncs = Workers("--concurrent-gc-syncs", "Objects the garbage collector works on at once", Defaults.GarbageCollectorWorkers);
    private readonly Option<int> _maxPerSlice = Ranged("--max-endpoints-per-slice", "Most endpoints in one EndpointSlice (1 to 1000)", Defaults.MaxEndpointsPerSlice, 1, 1000);
    private readonly Option<string> _monitorPeriod = Duration("--node-monitor-period", "How often node heartbeats are checked", "5s");
    private readonly Option<string> _gracePeriod = Duration("--node-monitor-grace-period", "Silence after which a node is Unknown and tainted unreachable", "50s");
    private readonly Option<string> _startupGracePeriod = Duration("--node-startup-grace-period", "How long a new node may take to post its first status", "1m0s");
    private readonly Option<double> _evictionRate = Rate("--node-eviction-rate", "Nodes per second and zone tainted for eviction", Defaults.NodeEvictionRate);
    private readonly Option<double> _secondaryRate = Rate("--secondary-node-eviction-rate", "The rate in a large zone that is partly down", Defaults.SecondaryNodeEvictionRate);
    private readonly Option<int> _largeCluster = Ranged("--large-cluster-size-threshold", "Zones up to this size stop tainting when partly down", Defaults.LargeClusterSizeThreshold, 0, int.MaxValue);
    private readonly Option<double> _unhealthyZone = Rate("--unhealthy-zone-threshold", "Share of not-ready nodes that makes a zone partly down", Defaults.UnhealthyZoneThreshold);
    private readonly Option<bool> _allocateCidrs = new("--allocate-node-cidrs") { Description = "Give every node a pod subnet from --cluster-cidr", DefaultValueFactory = _ => Defaults.AllocateNodeCidrs };
    private readonly Option<string> _clusterCidr = new("--cluster-cidr") { Description = "The pods' network, cut into node subnets", DefaultValueFactory = _ => Defaults.ClusterCidr };
    private readonly Option<int> _podGcThreshold = Ranged("--terminated-pod-gc-threshold", "Finished pods kept before the oldest are deleted (0 or less keeps all)", Defaults.TerminatedPodGcThreshold, int.MinValue, int.MaxValue);
    private readonly Option<int> _nodeMask = Ranged("--node-cidr-mask-size", "Prefix length of each node's subnet", Defaults.NodeCidrMaskSize, 1, 32);
    private readonly Option<string> _signingCert = new("--cluster-signing-cert-file") { Description = "PEM CA certificate that signs approved CertificateSigningRequests (kubernetes.io/ signers); none: nothing is signed" };
    private readonly Option<string> _signingKey = new("--cluster-signing-key-file") { Description = "PEM private key of --cluster-signing-cert-file" };
    private readonly Option<string> _signingDuration = Duration("--cluster-signing-duration", "Longest life of a signed certificate (a request's expirationSeconds may ask for less)", "8760h0m0s");

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (Option option in new Option[] { _replicaSetSyncs, _rcSyncs, _deploymentSyncs, _namespaceSyncs, _endpointSyncs, _sliceSyncs, _maxPerSlice, _gcSyncs, _monitorPeriod, _gracePeriod, _startupGracePeriod, _evictionRate, _secondaryRate, _largeCluster, _unhealthyZone, _allocateCidrs, _clusterCidr, _nodeMask, _podGcThreshold, _signingCert, _signingKey, _signingDuration })
        {
            command.Options.Add(option);
        }

        command.Validators.Add(r =>
        {
            // Values not given are not in the command's result: their defaults stand in.
            var cidr = r.GetResult(_clusterCidr)?.GetValueOrDefault<string>() ?? Defaults.ClusterCidr;
            var mask = r.GetResult(_nodeMask)?.GetValueOrDefault<int>() ?? Defaults.NodeCidrMaskSize;
            CheckCidr(r, cidr, mask);
            if (r.GetResult(_signingCert) is null != r.GetResult(_signingKey) is null)
            {
                r.AddError("--cluster-signing-cert-file and --cluster-signing-key-file go together");
            }
        });
    }

    /// <summary>The signing CA with its key, read from the files given; null when none are.</summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The files are not a certificate and its key.</exception>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? SigningCa(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        return parsed.GetValue(_signingCert) is { } cert
            ? System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(cert, parsed.GetValue(_signingKey))
            : null;
    }

    /// <param name="signingCa">The CA that signs approved requests (<see cref="SigningCa"/>).</param>
    public ControllerManagerOptions Read(ParseResult parsed, System.Security.Cryptography.X509Certificates.X509Certificate2? signingCa = null)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        return new ControllerManagerOptions
        {
            ClusterSigningCa = signingCa,
            ClusterSigningDuration = Parse(parsed.GetValue(_signingDuration)!),
            ReplicaSetWorkers = parsed.GetValue(_replicaSetSyncs),
            ReplicationControllerWorkers = parsed.GetValue(_rcSyncs),
            DeploymentWorkers = parsed.GetValue(_deploymentSyncs),
            NamespaceWorkers = parsed.GetValue(_namespaceSyncs),
            EndpointWorkers = parsed.GetValue(_endpointSyncs),
            EndpointSliceWorkers = parsed.GetValue(_sliceSyncs),
            MaxEndpointsPerSlice = parsed.GetValue(_maxPerSlice),
            GarbageCollectorWorkers = parsed.GetValue(_gcSyncs),
            NodeMonitorPeriod = Parse(parsed.GetValue(_monitorPeriod)!),
            NodeMonitorGracePeriod = Parse(parsed.GetValue(_gracePeriod)!),
            NodeStartupGracePeriod = Parse(parsed.GetValue(_startupGracePeriod)!),
            NodeEvictionRate = parsed.GetValue(_evictionRate),
            SecondaryNodeEvictionRate = parsed.GetValue(_secondaryRate),
            LargeClusterSizeThreshold = parsed.GetValue(_largeCluster),
            UnhealthyZoneThreshold = parsed.GetValue(_unhealthyZone),
            AllocateNodeCidrs = parsed.GetValue(_allocateCidrs),
            ClusterCidr = parsed.GetValue(_clusterCidr)!,
            NodeCidrMaskSize = parsed.GetValue(_nodeMask),
            TerminatedPodGcThreshold = parsed.GetValue(_podGcThreshold),
        };
    }

    private static void CheckCidr(SymbolResult result, string? cidr, int mask)
    {
        try
        {
            _ = new Controllers.NodeIpam.CidrSet(cidr ?? string.Empty, mask);
        }
        catch (ArgumentException e)
        {
            result.AddError($"--cluster-cidr: {e.Message.Split(" (Parameter", 2)[0]}");
        }
    }

    private static TimeSpan Parse(string text) => GoDuration.TryParse(text, out var duration) ? duration : TimeSpan.Zero;

    private static Option<int> Workers(string name, string description, int value) => Ranged(name, description, value, 1, int.MaxValue);

    private static Option<int> Ranged(string name, string description, int value, int min, int max)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => value };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is var v && (v < min || v > max))
            {
                r.AddError(max == int.MaxValue ? $"{name} must be at least {min}" : $"{name} must be between {min} and {max}");
            }
        });
        return option;
    }

    private static Option<double> Rate(string name, string description, double value)
    {
        var option = new Option<double>(name) { Description = description, DefaultValueFactory = _ => value };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is var v && (v < 0 || double.IsNaN(v)))
            {
                r.AddError($"{name} must not be negative");
            }
        });
        return option;
    }

    private static Option<string> Duration(string name, string description, string value)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => value };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is { } text && (!GoDuration.TryParse(text, out var d) || d <= TimeSpan.Zero))
            {
                r.AddError($"{name}: '{text}' is not a positive duration such as 5s or 1m");
            }
        });
        return option;
    }
}
