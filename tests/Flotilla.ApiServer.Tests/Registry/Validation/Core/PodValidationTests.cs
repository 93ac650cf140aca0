using Flotilla.ApiServer.Registry.Validation.Core;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Validation.Core;

/// <summary>Pod-only rules on create, and what a pod update may change (upstream's TestValidatePodUpdate).</summary>
public sealed class PodValidationTests
{
    public static TheoryData<Case<V1Pod>> CreateCases => new()
    {
        new("ephemeral containers on create", p => p.Spec.EphemeralContainers = [new V1EphemeralContainer { Name = "debug", Image = "busybox" }], "spec.ephemeralContainers: Forbidden: cannot be set on create"),
        new("node name while gated", p => { p.Spec.NodeName = "node-1"; p.Spec.SchedulingGates = [new V1PodSchedulingGate { Name = "example.com/wait" }]; }, "spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared"),
        new("deletion cost", p => p.Metadata.Annotations = new Dictionary<string, string> { ["controller.kubernetes.io/pod-deletion-cost"] = "+5" }, "metadata.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: \"+5\": must be a 32bit integer"),
        new("mirror pod without node", p => p.Metadata.Annotations = new Dictionary<string, string> { ["kubernetes.io/config.mirror"] = "x" }, "metadata.annotations[kubernetes.io/config.mirror]: Invalid value: \"x\": must set spec.nodeName if mirror pod annotation is set"),
    };

    public static TheoryData<Case<V1Pod>> UpdateCases => new()
    {
        new("image", p => p.Spec.Containers[0].Image = "nginx:1.28"),
        new("added toleration", p => p.Spec.Tolerations.Add(new V1Toleration { Key = "b", OperatorProperty = "Exists" })),
        new("changed toleration seconds", p => p.Spec.Tolerations[0].TolerationSeconds = 5),
        new("lowered deadline", p => p.Spec.ActiveDeadlineSeconds = 5),
        new("removed scheduling gate", p => p.Spec.SchedulingGates = []),
        new("added container", p => p.Spec.Containers.Add(ValidObjects.Container("two")), "spec.containers: Forbidden: pod updates may not add or remove containers"),
        new("removed image", p => p.Spec.Containers[0].Image = "", "spec.containers[0].image: Required value", "spec.containers[0].image: Required value"),
        new("raised deadline", p => p.Spec.ActiveDeadlineSeconds = 20, "spec.activeDeadlineSeconds: Invalid value: 20: must be less than or equal to previous value"),
        new("dropped deadline", p => p.Spec.ActiveDeadlineSeconds = null, "spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value"),
        new("changed toleration", p => p.Spec.Tolerations = [new V1Toleration { Key = "a", OperatorProperty = "Exists", Effect = "NoSchedule" }], "spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"),
        new("added scheduling gate", p => p.Spec.SchedulingGates = [new V1PodSchedulingGate { Name = "example.com/wait" }, new V1PodSchedulingGate { Name = "example.com/more" }], "spec.schedulingGates[1].name: Forbidden: only deletion is allowed, but found new scheduling gate 'example.com/more'"),
        new("added mirror annotation", p => p.Metadata.Annotations = new Dictionary<string, string> { ["kubernetes.io/config.mirror"] = "x" }, "metadata.annotations[kubernetes.io/config.mirror]: Invalid value: \"x\": must set spec.nodeName if mirror pod annotation is set", "metadata.annotations[kubernetes.io/config.mirror]: Forbidden: may not add mirror pod annotation"),
    };

    [Theory]
    [MemberData(nameof(CreateCases))]
    public void Validate_PodOnlyRule_UpstreamErrors(Case<V1Pod> row)
    {
        var pod = ValidObjects.Pod();
        row.Break(pod);

        Errors.Equal(PodValidation.Validate(pod), row.Expected);
    }

    [Fact]
    public void Validate_PaddedImageInTemplate_AllowedOnlyOutsidePods()
    {
        var template = ValidObjects.Template();
        template.Spec.Containers[0].Image = " ";

        Errors.Equal(PodTemplateValidation.Validate(template, Flotilla.ApiServer.Registry.Validation.FieldPath.Root("template")));
    }

    [Theory]
    [MemberData(nameof(UpdateCases))]
    public void ValidateUpdate_Change_OnlyUpdatableFields(Case<V1Pod> row)
    {
        var old = UpdatablePod();
        var pod = UpdatablePod();
        row.Break(pod);

        Errors.Equal(PodValidation.ValidateUpdate(pod, old), row.Expected);
    }

    [Fact]
    public void ValidateUpdate_RestartPolicy_ForbiddenWithDiff()
    {
        var old = UpdatablePod();
        var pod = UpdatablePod();
        pod.Spec.RestartPolicy = "Never";

        var error = Assert.Single(PodValidation.ValidateUpdate(pod, old));

        Assert.StartsWith(
            "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n  core.PodSpec{\n",
            error.ToString(),
            StringComparison.Ordinal);
        Assert.Contains("+ \tRestartPolicy: \"Never\",\n", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateUpdate_NegativeGracePeriodToOne_Allowed()
    {
        var old = UpdatablePod();
        old.Spec.TerminationGracePeriodSeconds = -1;
        var pod = UpdatablePod();
        pod.Spec.TerminationGracePeriodSeconds = 1;

        Errors.Equal(PodValidation.ValidateUpdate(pod, old));
    }

    private static V1Pod UpdatablePod()
    {
        var pod = ValidObjects.Pod();
        pod.Spec.ActiveDeadlineSeconds = 10;
        pod.Spec.Tolerations = [new V1Toleration { Key = "a", OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = 10 }];
        pod.Spec.SchedulingGates = [new V1PodSchedulingGate { Name = "example.com/wait" }];
        return pod;
    }
}
