using Flotilla.Api.Selectors;
using Flotilla.Client.Informers;
using k8s.Models;

namespace Flotilla.Scheduler.Plugins.PodTopologySpread;

/// <summary>
/// The pods of the same workload as a pod, for the default spread constraints (upstream helper.DefaultSelector):
/// the selectors of the Services that select it, and of its controlling ReplicationController, ReplicaSet or
/// StatefulSet, ANDed.
/// </summary>
internal sealed class WorkloadSelector(
    Lister<V1Service> services,
    Lister<V1ReplicationController> replicationControllers,
    Lister<V1ReplicaSet> replicaSets,
    Lister<V1StatefulSet> statefulSets)
{
    /// <summary>The selector; empty when nothing selects the pod.</summary>
    public LabelSelector For(V1Pod pod)
    {
        var ns = pod.Metadata?.NamespaceProperty ?? string.Empty;
        var podLabels = pod.Metadata?.Labels as IReadOnlyDictionary<string, string>;

        // Services, RCs, RSs and SSs that select the pod cannot conflict on a label, so merging their sets is safe.
        var set = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var service in services.List(ns))
        {
            // A service without a selector selects nothing, not everything.
            if (service.Spec?.Selector is { } selector && LabelSelector.FromSet(selector).Matches(podLabels))
            {
                Merge(set, selector);
            }
        }

        var owner = pod.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        if (owner is null)
        {
            return LabelSelector.FromSet(set);
        }

        switch ((owner.ApiVersion, owner.Kind))
        {
            case ("v1", "ReplicationController"):
                if (replicationControllers.Get(ns, owner.Name) is { } rc)
                {
                    Merge(set, rc.Spec?.Selector);
                }

                return LabelSelector.FromSet(set);
            case ("apps/v1", "ReplicaSet"):
                return WithRequirements(LabelSelector.FromSet(set), replicaSets.Get(ns, owner.Name)?.Spec?.Selector);
            case ("apps/v1", "StatefulSet"):
                return WithRequirements(LabelSelector.FromSet(set), statefulSets.Get(ns, owner.Name)?.Spec?.Selector);
            default:
                return LabelSelector.FromSet(set);
        }
    }

    private static void Merge(Dictionary<string, string> set, IDictionary<string, string>? labels)
    {
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            set[key] = value;
        }
    }

    // As upstream: a controller whose selector is missing or does not parse adds nothing.
    private static LabelSelector WithRequirements(LabelSelector selector, V1LabelSelector? controller)
    {
        if (controller is null)
        {
            return selector;
        }

        try
        {
            return LabelSelector.FromModel(controller).Requirements.Aggregate(selector, (s, r) => s.And(r));
        }
        catch (LabelSelectorException)
        {
            return selector;
        }
    }
}
