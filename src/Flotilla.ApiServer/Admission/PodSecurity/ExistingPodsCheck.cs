using Flotilla.Api.Serialization;
using Flotilla.ApiServer.Admission.PodSecurity.Checks;
using Flotilla.ApiServer.Registry.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Admission.PodSecurity;

/// <summary>
/// The warnings for tightening a namespace's enforce level (upstream's EvaluatePodsInNamespace): which existing pods
/// would be refused now, grouped by reason. At most 3,000 pods and one second are spent, one pod per controller first.
/// </summary>
public sealed class ExistingPodsCheck(PodSecurityEvaluator evaluator, PodSecurityConfiguration configuration, TimeProvider time)
{
    public const int MaxPods = 3000;
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(1);

    public IReadOnlyList<string> Warnings(string ns, LevelVersion enforce, IReadOnlyList<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        var start = time.GetTimestamp();
        var prioritized = Prioritize(pods);
        var total = prioritized.Count;
        if (prioritized.Count > MaxPods)
        {
            prioritized = prioritized[..MaxPods];
        }

        var order = new List<string>();
        var byReason = new Dictionary<string, (string FirstName, int Count)>(StringComparer.Ordinal);
        var checkedPods = prioritized.Count;
        for (var i = 0; i < prioritized.Count; i++)
        {
            var pod = prioritized[i];
            var result = evaluator.Evaluate(enforce, pod.Metadata ?? new V1ObjectMeta(), pod.Spec ?? new V1PodSpec());
            if (!result.Allowed)
            {
                var reason = result.ForbiddenReason();
                var name = pod.Metadata?.Name ?? string.Empty;
                if (byReason.TryGetValue(reason, out var seen))
                {
                    byReason[reason] = (string.CompareOrdinal(name, seen.FirstName) < 0 ? name : seen.FirstName, seen.Count + 1);
                }
                else
                {
                    order.Add(reason);
                    byReason[reason] = (name, 1);
                }
            }

            if (time.GetElapsedTime(start) > Budget)
            {
                checkedPods = i + 1;
                break;
            }
        }

        var warnings = new List<string>();
        if (checkedPods < total)
        {
            warnings.Add($"new PodSecurity enforce level only checked against the first {checkedPods} of {total} existing pods");
        }

        if (order.Count > 0)
        {
            warnings.Add($"existing pods in namespace {GoQuote.Quote(ns)} violate the new PodSecurity enforce level {GoQuote.Quote(enforce.ToString())}");
        }

        warnings.AddRange(order.Select(reason => Decorate(reason, byReason[reason])).Order(StringComparer.Ordinal));
        return warnings;
    }

    private static string Decorate(string reason, (string FirstName, int Count) pods) => pods.Count switch
    {
        1 => $"{pods.FirstName}: {reason}",
        2 => $"{pods.FirstName} (and 1 other pod): {reason}",
        _ => $"{pods.FirstName} (and {pods.Count - 1} other pods): {reason}",
    };

    // Exempt runtime classes are skipped; the first pod of each controller comes before its siblings.
    private List<V1Pod> Prioritize(IReadOnlyList<V1Pod> pods)
    {
        var first = new List<V1Pod>();
        var siblings = new List<V1Pod>();
        var controllers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            if (pod.Spec?.RuntimeClassName is { Length: > 0 } runtimeClass && configuration.ExemptRuntimeClasses.Contains(runtimeClass))
            {
                continue;
            }

            var controller = pod.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
            if (controller is null || controllers.Add(controller.Uid ?? string.Empty))
            {
                first.Add(pod);
            }
            else
            {
                siblings.Add(pod);
            }
        }

        return [.. first, .. siblings];
    }
}
