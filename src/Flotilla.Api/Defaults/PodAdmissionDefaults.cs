using k8s.Models;

namespace Flotilla.Api.Defaults;

/// <summary>
/// The defaults two of kube-apiserver's default-on mutating admission plugins give pods: DefaultTolerationSeconds
/// and Priority. They run after decoding and defaulting, on writes to the pod itself (not its subresources).
/// </summary>
public static class PodAdmissionDefaults
{
    public const string NotReadyTaint = "node.kubernetes.io/not-ready";
    public const string UnreachableTaint = "node.kubernetes.io/unreachable";
    public const string NoExecute = "NoExecute";

    /// <summary>The plugin's --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds.</summary>
    public const long DefaultTolerationSeconds = 300;

    /// <summary>Upstream's DefaultPriorityWhenNoDefaultClassExists.</summary>
    public const int DefaultPriority = 0;

    /// <summary>
    /// DefaultTolerationSeconds (create and update): a pod that does not already tolerate the not-ready or
    /// unreachable NoExecute taint is evicted five minutes after its node goes bad, not at once.
    /// </summary>
    public static void ApplyTolerationSeconds(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var spec = pod.Spec ??= new V1PodSpec();
        var toleratesNotReady = Tolerates(spec.Tolerations, NotReadyTaint);
        var toleratesUnreachable = Tolerates(spec.Tolerations, UnreachableTaint);
        if (!toleratesNotReady)
        {
            (spec.Tolerations ??= []).Add(Toleration(NotReadyTaint));
        }

        if (!toleratesUnreachable)
        {
            (spec.Tolerations ??= []).Add(Toleration(UnreachableTaint));
        }
    }

    /// <summary>
    /// Priority at create: resolves the pod's priority (and preemption policy) from its PriorityClass, or from the
    /// global default class (the lowest-valued one marked globalDefault), or 0 and PreemptLowerPriority without one.
    /// Returns the reason the pod is forbidden, or null when it is admitted.
    /// </summary>
    public static string? ApplyPriorityOnCreate(V1Pod pod, IEnumerable<V1PriorityClass> priorityClasses)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(priorityClasses);
        var spec = pod.Spec ??= new V1PodSpec();
        int priority;
        string? preemptionPolicy;
        if (string.IsNullOrEmpty(spec.PriorityClassName))
        {
            var globalDefault = priorityClasses
                .Where(c => c.GlobalDefault == true)
                .OrderBy(c => c.Value ?? 0)
                .FirstOrDefault();
            spec.PriorityClassName = globalDefault?.Metadata?.Name;
            priority = globalDefault is null ? DefaultPriority : globalDefault.Value ?? 0;
            preemptionPolicy = globalDefault is null ? PriorityClassDefaults.PreemptLowerPriority : globalDefault.PreemptionPolicy;
        }
        else
        {
            var named = priorityClasses.FirstOrDefault(c => c.Metadata?.Name == spec.PriorityClassName);
            if (named is null)
            {
                return $"no PriorityClass with name {spec.PriorityClassName} was found";
            }

            priority = named.Value ?? 0;
            preemptionPolicy = named.PreemptionPolicy;
        }

        if (spec.Priority is { } given && given != priority)
        {
            return $"the integer value of priority ({given}) must not be provided in pod spec; " +
                $"priority admission controller computed {priority} from the given PriorityClass name";
        }

        spec.Priority = priority;
        if (preemptionPolicy is not null)
        {
            if (spec.PreemptionPolicy is { } givenPolicy && givenPolicy != preemptionPolicy)
            {
                return $"the string value of PreemptionPolicy ({givenPolicy}) must not be provided in pod spec; " +
                    $"priority admission controller computed {preemptionPolicy} from the given PriorityClass name";
            }

            spec.PreemptionPolicy = preemptionPolicy;
        }

        return null;
    }

    /// <summary>Priority at update: a pod keeps the priority it was given at create even if the update omits it.</summary>
    public static void ApplyPriorityOnUpdate(V1Pod pod, V1Pod old)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(old);
        var spec = pod.Spec ??= new V1PodSpec();
        spec.Priority ??= old.Spec?.Priority;
        spec.PreemptionPolicy ??= old.Spec?.PreemptionPolicy;
    }

    // An empty key tolerates every taint key, an empty effect every effect.
    private static bool Tolerates(IList<V1Toleration>? tolerations, string taint) =>
        (tolerations ?? []).Any(t =>
            (string.IsNullOrEmpty(t.Key) || t.Key == taint) && (string.IsNullOrEmpty(t.Effect) || t.Effect == NoExecute));

    private static V1Toleration Toleration(string taint) => new()
    {
        Key = taint,
        OperatorProperty = "Exists",
        Effect = NoExecute,
        TolerationSeconds = DefaultTolerationSeconds,
    };
}
