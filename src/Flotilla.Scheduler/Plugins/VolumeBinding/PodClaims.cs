using Flotilla.Scheduler.Framework;
using k8s.Models;

namespace Flotilla.Scheduler.Plugins.VolumeBinding;

/// <summary>A pod's claims sorted by what scheduling must do: bound ones (their volumes' node affinity counts), and
/// unbound ones whose class waits for the first consumer (bound after the pod is placed).</summary>
internal sealed class PodClaims : IStateData
{
    public List<V1PersistentVolume> BoundVolumes { get; } = [];

    public List<V1PersistentVolumeClaim> Delayed { get; } = [];

    public IStateData Clone() => this;
}
