using Flotilla.Scheduler.Framework;
using k8s.Models;

namespace Flotilla.Scheduler.Queue;

/// <summary>
/// The pods waiting to be scheduled (upstream SchedulingQueue): informer handlers add, update and delete pending
/// pods and report cluster events from their threads while the scheduling loop pops. A popped pod is in flight until
/// it is bound (<see cref="Done"/>) or handed back (<see cref="AddUnschedulableIfNotPresent"/>).
/// </summary>
public interface ISchedulingQueue
{
    /// <summary>How many pods have been popped: the number of the cycle of the pod popped last.</summary>
    long SchedulingCycle { get; }

    /// <summary>A new pending pod (the informer's add).</summary>
    void Add(V1Pod pod);

    /// <summary>A pending pod changed (the informer's update); may move it out of the unschedulable set.</summary>
    void Update(V1Pod? oldPod, V1Pod newPod);

    /// <summary>The pod is gone or bound: removes it from every sub-queue and the nominator.</summary>
    void Delete(V1Pod pod);

    /// <summary>Waits for the highest-priority active pod and returns it with its attempt counted, in flight.</summary>
    Task<QueuedPodInfo> PopAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Hands back a pod whose attempt in cycle <paramref name="podSchedulingCycle"/> failed, and ends its flight.
    /// False when the pod is queued already (a newer copy arrived meanwhile).
    /// </summary>
    bool AddUnschedulableIfNotPresent(QueuedPodInfo podInfo, long podSchedulingCycle);

    /// <summary>Ends the pod's flight after it was scheduled (or given up).</summary>
    void Done(string uid);

    /// <summary>Something changed in the cluster: retries the unschedulable pods rejected by plugins that registered for it.</summary>
    void MoveAllToActiveOrBackoffQueue(ClusterEvent clusterEvent, object? oldObject, object? newObject);

    /// <summary>A pod was bound: retries the pods whose required affinity it satisfies or that topology spread rejected.</summary>
    void AssignedPodAdded(V1Pod pod);

    /// <summary>A bound pod changed as <paramref name="clusterEvent"/> says (see <see cref="PodChanges.SchedulingPropertiesChange"/>).</summary>
    void AssignedPodUpdated(V1Pod oldPod, V1Pod newPod, ClusterEvent clusterEvent);

    /// <summary>Nominates the pod to a node (preemption made room there); an empty name clears its nomination.</summary>
    void AddNominatedPod(PodInfo podInfo, string nodeName);

    void DeleteNominatedPodIfExists(V1Pod pod);

    IReadOnlyList<PodInfo> NominatedPodsForNode(string nodeName);

    /// <summary>Every pod the queue holds (not those in flight), with where it waits.</summary>
    IReadOnlyList<PendingPod> PendingPods();

    /// <summary>Runs the queue's flushes (backoff every second, the unschedulable leftovers every 30 s) until cancelled.</summary>
    Task RunAsync(CancellationToken cancellationToken);
}
