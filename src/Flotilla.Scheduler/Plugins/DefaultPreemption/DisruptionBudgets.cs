using Flotilla.Api.Selectors;
using k8s.Models;

namespace Flotilla.Scheduler.Plugins.DefaultPreemption;

/// <summary>Which victims would break a PodDisruptionBudget (upstream filterPodsWithPDBViolation).</summary>
internal static class DisruptionBudgets
{
    /// <summary>Splits <paramref name="pods"/> (order kept) into those whose eviction a budget forbids and the rest.</summary>
    public static (List<T> Violating, List<T> NonViolating) Split<T>(IEnumerable<T> pods, Func<T, V1Pod> pod, IReadOnlyList<V1PodDisruptionBudget> budgets)
    {
        var allowed = budgets.Select(b => b.Status?.DisruptionsAllowed ?? 0).ToArray();
        var selectors = budgets.Select(b => b.Spec?.Selector is null ? LabelSelector.Nothing : LabelSelector.FromModel(b.Spec.Selector)).ToArray();
        var violating = new List<T>();
        var nonViolating = new List<T>();
        foreach (var item in pods)
        {
            var p = pod(item);
            var violates = false;
            for (var i = 0; i < budgets.Count; i++)
            {
                var budget = budgets[i];
                if (budget.Metadata.NamespaceProperty != p.Metadata.NamespaceProperty
                    || selectors[i].IsEmpty
                    || !selectors[i].Matches(p.Metadata.Labels as IReadOnlyDictionary<string, string>)
                    || budget.Status?.DisruptedPods?.ContainsKey(p.Metadata.Name) == true)
                {
                    continue;
                }

                // Every budget the pod falls under is charged, as upstream does.
                if (--allowed[i] < 0)
                {
                    violates = true;
                }
            }

            (violates ? violating : nonViolating).Add(item);
        }

        return (violating, nonViolating);
    }
}
