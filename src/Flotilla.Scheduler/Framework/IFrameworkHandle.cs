using Flotilla.Client.Events;
using Flotilla.Client.Informers;
using k8s;
using k8s.Models;

namespace Flotilla.Scheduler.Framework;

/// <summary>What plugins get from the scheduler (upstream framework.Handle): the cycle's snapshot, the API client,
/// informers for the other objects they read, and the framework's own runners for preemption's simulations.</summary>
public interface IFrameworkHandle
{
    INodeInfoLister Snapshot { get; }

    IKubernetes Client { get; }

    SharedInformerFactory Informers { get; }

    IEventRecorder Recorder { get; }

    TimeProvider Time { get; }

    /// <summary>Pods nominated to <paramref name="nodeName"/> by preemption that have not been bound yet.</summary>
    IReadOnlyList<PodInfo> NominatedPodsForNode(string nodeName);

    /// <summary>Runs every Filter plugin, counting higher-or-equal priority pods nominated to the node as if placed.</summary>
    Status RunFilterPluginsWithNominatedPods(CycleState state, V1Pod pod, NodeInfo node);

    Status RunPreFilterExtensionAddPod(CycleState state, V1Pod podToSchedule, PodInfo podToAdd, NodeInfo node);

    Status RunPreFilterExtensionRemovePod(CycleState state, V1Pod podToSchedule, PodInfo podToRemove, NodeInfo node);
}
