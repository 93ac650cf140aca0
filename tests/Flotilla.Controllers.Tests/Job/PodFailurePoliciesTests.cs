using Flotilla.Controllers.Job;
using k8s.Models;

namespace Flotilla.Controllers.Tests.Job;

public sealed class PodFailurePoliciesTests
{
    private static readonly V1PodFailurePolicy Policy = new()
    {
        Rules =
        [
            new V1PodFailurePolicyRule { Action = "Ignore", OnPodConditions = [new V1PodFailurePolicyOnPodConditionsPattern { Type = "DisruptionTarget", Status = "True" }] },
            new V1PodFailurePolicyRule { Action = "FailJob", OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement { ContainerName = "main", OperatorProperty = "In", Values = [42] } },
            new V1PodFailurePolicyRule { Action = "Count", OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement { OperatorProperty = "NotIn", Values = [1, 2] } },
        ],
    };

    [Theory]
    [InlineData(42, false, "FailJob", true, "Container main for pod default/p failed with exit code 42 matching FailJob rule at index 1")]
    [InlineData(3, false, "Count", true, null)]
    [InlineData(1, false, null, true, null)]
    [InlineData(42, true, "Ignore", false, null)]
    public void TheFirstMatchingRuleDecides(int exitCode, bool disrupted, string? action, bool counted, string? failJob)
    {
        var job = JobMake.Job("j", failurePolicy: Policy);
        var pod = JobMake.Pod(job, "p", "Failed", exitCode: exitCode);
        if (disrupted)
        {
            pod.Status.Conditions.Add(new V1PodCondition { Type = "DisruptionTarget", Status = "True", Reason = "PreemptionByScheduler" });
        }

        Assert.Equal(new PodFailureVerdict(failJob, counted, action), PodFailurePolicies.Match(job, pod));
    }

    [Fact]
    public void WithoutAPolicyEveryFailureCounts() =>
        Assert.Equal(new PodFailureVerdict(null, true, null), PodFailurePolicies.Match(JobMake.Job("j"), JobMake.Pod(JobMake.Job("j"), "p", "Failed")));
}
