namespace Flotilla.Kubelet.Probes;

/// <summary>The latest settled probe outcome of each container instance, by its status ID (<c>runtime://id</c>).</summary>
public interface IProbeResults
{
    /// <summary>Null until a worker has settled a result for that container instance.</summary>
    ProbeOutcome? Get(string containerId, ProbeKind kind);
}
