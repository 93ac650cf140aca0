using Flotilla.Client.Events;
using Flotilla.Client.Informers;
using Flotilla.Scheduler.Framework;
using k8s;
using k8s.Models;

namespace Flotilla.Scheduler.Tests.Plugins.ImageLocality;

/// <summary>A framework handle that offers only the cycle's snapshot; anything else is a test bug.</summary>
internal sealed class SnapshotHandle(INodeInfoLister snapshot) : IFrameworkHandle
{
    public INodeInfoLister Snapshot { get; } = snapshot;

    public IKubernetes Client => throw new NotSupportedException();

    public SharedInformerFactory Informers => throw new NotSupportedException();

    public IEventRecorder Recorder => throw new NotSupportedException();

    public TimeProvider Time => throw new NotSupportedException();

    public IReadOnlyList<PodInfo> NominatedPodsForNode(string nodeName) => throw new NotSupportedException();

    public Status RunFilterPluginsWithNominatedPods(CycleState state, V1Pod pod, NodeInfo node) => throw new NotSupportedException();

    public Status RunPreFilterExtensionAddPod(CycleState state, V1Pod podToSchedule, PodInfo podToAdd, NodeInfo node) => throw new NotSupportedException();

    public Status RunPreFilterExtensionRemovePod(CycleState state, V1Pod podToSchedule, PodInfo podToRemove, NodeInfo node) => throw new NotSupportedException();
}
