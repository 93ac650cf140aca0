using System.Globalization;
using k8s.Models;

namespace Flotilla.Controllers.Job;

/// <summary>What a failed pod's matching rule says (upstream's matchPodFailurePolicy).</summary>
/// <param name="FailJobMessage">For FailJob: the message of the job's failure.</param>
/// <param name="CountFailed">Whether the failure counts towards the back-off limit (not for Ignore).</param>
/// <param name="Action">The rule's action, or null when no rule matched.</param>
public sealed record PodFailureVerdict(string? FailJobMessage, bool CountFailed, string? Action);

/// <summary>
/// <c>spec.podFailurePolicy</c>: the first rule that matches a failed pod decides — FailJob fails the job, Ignore
/// does not count the failure, Count counts it, FailIndex fails the pod's index. Without a match the failure counts.
/// </summary>
public static class PodFailurePolicies
{
    private static readonly PodFailureVerdict Default = new(null, true, null);

    public static PodFailureVerdict Match(V1Job job, V1Pod pod)
    {
        var rules = job.Spec.PodFailurePolicy?.Rules;
        if (rules is null)
        {
            return Default;
        }

        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            string? failJob = null;
            if (rule.OnExitCodes is { } codes)
            {
                if (MatchingContainer(pod, codes) is not { } container)
                {
                    continue;
                }

                failJob = string.Create(CultureInfo.InvariantCulture, $"Container {container.Name} for pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} failed with exit code {container.State.Terminated.ExitCode} matching {rule.Action} rule at index {i}");
            }
            else if (rule.OnPodConditions is { } patterns)
            {
                var condition = patterns
                    .Select(p => pod.Status?.Conditions?.FirstOrDefault(c => c.Type == p.Type && c.Status == (p.Status ?? "True")))
                    .FirstOrDefault(c => c is not null);
                if (condition is null)
                {
                    continue;
                }

                failJob = string.Create(CultureInfo.InvariantCulture, $"Pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} has condition {condition.Type} matching {rule.Action} rule at index {i}");
            }
            else
            {
                continue;
            }

            switch (rule.Action)
            {
                case "Ignore":
                    return new PodFailureVerdict(null, false, "Ignore");
                case "Count":
                    return new PodFailureVerdict(null, true, "Count");
                case "FailJob":
                    return new PodFailureVerdict(failJob, true, "FailJob");
                case "FailIndex" when job.Spec.BackoffLimitPerIndex is not null:
                    return new PodFailureVerdict(null, true, "FailIndex");
                default:
                    continue;
            }
        }

        return Default;
    }

    private static V1ContainerStatus? MatchingContainer(V1Pod pod, V1PodFailurePolicyOnExitCodesRequirement codes)
    {
        foreach (var status in (pod.Status?.ContainerStatuses ?? []).Concat(pod.Status?.InitContainerStatuses ?? []))
        {
            if (status.State?.Terminated is not { ExitCode: not 0 } terminated || (codes.ContainerName is { } name && name != status.Name))
            {
                continue;
            }

            var listed = codes.Values?.Contains(terminated.ExitCode) == true;
            if (codes.OperatorProperty == "In" ? listed : !listed)
            {
                return status;
            }
        }

        return null;
    }
}
