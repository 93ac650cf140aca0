using Flotilla.Client.Events;
using Flotilla.Client.Informers;
using Flotilla.Scheduler.Framework;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Flotilla.Scheduler.Plugins.DefaultPreemption;

/// <summary>
/// Upstream's DefaultPreemption (PostFilter): when no node fits, look among the nodes that rejected the pod for a
/// resolvable reason for the cheapest set of lower-priority pods whose eviction makes room — fewest
/// PodDisruptionBudget violations, then the lowest highest victim priority, the lowest priority sum, the fewest
/// victims, the latest-started victims — evict them, and nominate that node for the pod.
/// </summary>
public sealed class DefaultPreemptionPlugin : IPostFilterPlugin
{
    public const string PluginName = "DefaultPreemption";

    private const int MinCandidateNodesPercentage = 10;
    private const int MinCandidateNodesAbsolute = 100;

    private readonly IFrameworkHandle _handle;
    private readonly Lister<V1PodDisruptionBudget> _budgets;

    public DefaultPreemptionPlugin(IFrameworkHandle handle)
    {
        _handle = handle;
        _budgets = handle.Informers.Informer<V1PodDisruptionBudget>().Lister;
    }

    public string Name => PluginName;

    public async Task<(PostFilterResult? Result, Status Status)> PostFilterAsync(CycleState state, V1Pod pod, NodeToStatus filtered, CancellationToken cancellationToken)
    {
        if (NotEligible(pod) is { } why)
        {
            return (null, Status.Unschedulable("preemption: " + why));
        }

        var all = _handle.Snapshot.List();
        var potential = all.Where(n => filtered.Get(n.Name).Code == StatusCode.Unschedulable).ToList();
        var statuses = new NodeToStatus { AbsentStatus = Status.Unresolvable("Preemption is not helpful for scheduling") };
        var candidates = FindCandidates(state, pod, potential, statuses);
        if (candidates.Count == 0)
        {
            return (null, Status.Unschedulable("preemption: " + new FitError(all.Count, statuses, null, new HashSet<string>()).Message));
        }

        var best = Pick(candidates);
        foreach (var victim in best.Victims)
        {
            try
            {
                await _handle.Client.CoreV1.DeleteNamespacedPodAsync(victim.Metadata.Name, victim.Metadata.NamespaceProperty, new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = victim.Metadata.Uid } }, cancellationToken: cancellationToken);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Conflict)
            {
                // Gone already.
            }

            _handle.Recorder.Event(victim, EventTypes.Normal, "Preempted", $"Preempted by pod {pod.Metadata.Uid} on node {best.NodeName}");
        }

        // Lower-priority pods nominated to this node lose the nomination: the room is this pod's now.
        foreach (var nominated in _handle.NominatedPodsForNode(best.NodeName).Where(p => Priority(p.Pod) < Priority(pod)))
        {
            await ClearNominationAsync(nominated.Pod, cancellationToken);
        }

        return (new PostFilterResult(best.NodeName), Status.Success);
    }

    /// <summary>Upstream PodEligibleToPreemptOthers.</summary>
    private string? NotEligible(V1Pod pod)
    {
        if (pod.Spec?.PreemptionPolicy == "Never")
        {
            return "not eligible due to preemptionPolicy=Never.";
        }

        if (pod.Status?.NominatedNodeName is { Length: > 0 } nominated && _handle.Snapshot.Get(nominated) is { } node
            && node.Pods.Any(p => p.Pod.Metadata.DeletionTimestamp is not null && Priority(p.Pod) < Priority(pod)))
        {
            return "not eligible due to a terminating pod on the nominated node.";
        }

        return null;
    }

    /// <summary>Dry runs on the potential nodes from a random offset until enough candidates are found (upstream dryRunPreemption).</summary>
    private List<Candidate> FindCandidates(CycleState state, V1Pod pod, List<NodeInfo> potential, NodeToStatus statuses)
    {
        var candidates = new List<Candidate>();
        if (potential.Count == 0)
        {
            return candidates;
        }

        var wanted = Math.Min(potential.Count, Math.Max(potential.Count * MinCandidateNodesPercentage / 100, MinCandidateNodesAbsolute));
        var budgets = _budgets.List();
        var offset = Random.Shared.Next(potential.Count);
        var nonViolating = 0;
        for (var i = 0; i < potential.Count && nonViolating < wanted; i++)
        {
            var node = potential[(offset + i) % potential.Count];
            var (victims, violations, status) = SelectVictims(state.Clone(), pod, node.Clone(), budgets);
            if (status.IsSuccess && victims.Count > 0)
            {
                candidates.Add(new Candidate(node.Name, victims, violations));
                nonViolating += violations == 0 ? 1 : 0;
            }
            else if (!status.IsSuccess)
            {
                statuses.Set(node.Name, status);
            }
        }

        return candidates;
    }

    /// <summary>
    /// Upstream SelectVictimsOnNode: remove every lower-priority pod; if the pod then fits, put them back one by one,
    /// most important first (budget-protected ones before the rest), keeping out only those whose return blocks it.
    /// </summary>
    private (List<V1Pod> Victims, int Violations, Status Status) SelectVictims(CycleState state, V1Pod pod, NodeInfo node, IReadOnlyList<V1PodDisruptionBudget> budgets)
    {
        var priority = Priority(pod);
        var potential = node.Pods.Where(p => Priority(p.Pod) < priority).ToList();
        if (potential.Count == 0)
        {
            return ([], 0, Status.Unresolvable("No preemption victims found for incoming pod"));
        }

        foreach (var p in potential)
        {
            node.RemovePod(p.Pod);
            _handle.RunPreFilterExtensionRemovePod(state, pod, p, node);
        }

        var fits = _handle.RunFilterPluginsWithNominatedPods(state, pod, node);
        if (!fits.IsSuccess)
        {
            return ([], 0, fits);
        }

        potential.Sort((a, b) => MoreImportant(a.Pod, b.Pod) ? -1 : MoreImportant(b.Pod, a.Pod) ? 1 : 0);
        var (violating, nonViolating) = DisruptionBudgets.Split(potential, p => p.Pod, budgets);
        var victims = new List<V1Pod>();
        var violations = 0;
        bool Reprieve(PodInfo p)
        {
            node.AddPod(p);
            _handle.RunPreFilterExtensionAddPod(state, pod, p, node);
            if (_handle.RunFilterPluginsWithNominatedPods(state, pod, node).IsSuccess)
            {
                return true;
            }

            node.RemovePod(p.Pod);
            _handle.RunPreFilterExtensionRemovePod(state, pod, p, node);
            victims.Add(p.Pod);
            return false;
        }

        foreach (var p in violating)
        {
            violations += Reprieve(p) ? 0 : 1;
        }

        foreach (var p in nonViolating)
        {
            Reprieve(p);
        }

        if (violating.Count > 0 && nonViolating.Count > 0)
        {
            victims.Sort((a, b) => MoreImportant(a, b) ? -1 : MoreImportant(b, a) ? 1 : 0);
        }

        return (victims, violations, Status.Success);
    }

    /// <summary>Upstream pickOneNodeForPreemption's criteria, in order.</summary>
    private static Candidate Pick(List<Candidate> candidates)
    {
        IEnumerable<Candidate> best = candidates;
        best = Keep(best, c => -c.PdbViolations);
        best = Keep(best, c => -Priority(c.Victims[0]));
        // Priorities shifted to be non-negative before summing, as upstream (MaxInt32 + 1 per victim).
        best = Keep(best, c => -c.Victims.Sum(v => (long)Priority(v) + int.MaxValue + 1));
        best = Keep(best, c => -c.Victims.Count);
        best = Keep(best, c => EarliestStartOfHighest(c).Ticks);
        return best.First();
    }

    private static List<Candidate> Keep(IEnumerable<Candidate> candidates, Func<Candidate, long> score)
    {
        var list = candidates.ToList();
        var max = list.Max(score);
        return [.. list.Where(c => score(c) == max)];
    }

    /// <summary>Among the highest-priority victims, the earliest start; a later one is the better node.</summary>
    private static DateTime EarliestStartOfHighest(Candidate c)
    {
        var highest = Priority(c.Victims[0]);
        return c.Victims.Where(v => Priority(v) == highest).Min(v => v.Status?.StartTime ?? DateTime.MaxValue);
    }

    private async Task ClearNominationAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        try
        {
            await _handle.Client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch("""{"status":{"nominatedNodeName":null}}""", V1Patch.PatchType.MergePatch), pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // Deleted meanwhile.
        }
    }

    private static int Priority(V1Pod pod) => pod.Spec?.Priority ?? 0;

    /// <summary>Upstream MoreImportantPod: higher priority, then started earlier.</summary>
    private static bool MoreImportant(V1Pod a, V1Pod b)
    {
        if (Priority(a) != Priority(b))
        {
            return Priority(a) > Priority(b);
        }

        return (a.Status?.StartTime ?? DateTime.MaxValue) < (b.Status?.StartTime ?? DateTime.MaxValue);
    }
}
