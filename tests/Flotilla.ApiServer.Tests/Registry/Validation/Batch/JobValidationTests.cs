using Flotilla.ApiServer.Registry.Validation.Batch;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Validation.Batch;

/// <summary>Upstream's TestValidateJob and TestValidateJobUpdate.</summary>
public sealed class JobValidationTests
{
    public static TheoryData<Case<V1Job>> Cases => new()
    {
        new("negative parallelism", j => j.Spec.Parallelism = -1, "spec.parallelism: Invalid value: -1: must be greater than or equal to 0"),
        new("negative completions", j => j.Spec.Completions = -1, "spec.completions: Invalid value: -1: must be greater than or equal to 0"),
        new("negative backoff limit", j => j.Spec.BackoffLimit = -1, "spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0"),
        new("negative deadline", j => j.Spec.ActiveDeadlineSeconds = -1, "spec.activeDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0"),
        new("negative ttl", j => j.Spec.TtlSecondsAfterFinished = -1, "spec.ttlSecondsAfterFinished: Invalid value: -1: must be greater than or equal to 0"),
        new("restartPolicy unset", j => j.Spec.Template.Spec.RestartPolicy = null, "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""),
        new("restartPolicy Always", j => j.Spec.Template.Spec.RestartPolicy = "Always", "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""),
        new("restartPolicy unknown", j => j.Spec.Template.Spec.RestartPolicy = "Sometimes", "spec.template.spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"", "spec.template.spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"OnFailure\", \"Never\""),
        new("completion mode", j => j.Spec.CompletionMode = "Ordered", "spec.completionMode: Unsupported value: \"Ordered\": supported values: \"NonIndexed\", \"Indexed\""),
        new("indexed without completions", j => j.Spec.CompletionMode = "Indexed", "spec.completions: Required value: when completion mode is Indexed"),
        new("per-index backoff without indexes", j => j.Spec.BackoffLimitPerIndex = 1, "spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode"),
        new("max failed indexes alone", j => { j.Spec.CompletionMode = "Indexed"; j.Spec.Completions = 3; j.Spec.MaxFailedIndexes = 1; }, "spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified"),
        new("manual selector missing", j => { j.Spec.ManualSelector = true; j.Spec.Selector = null; }, "spec.selector: Required value", "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\", \"batch.kubernetes.io/controller-uid\":\"uid-1\", \"batch.kubernetes.io/job-name\":\"pi\", \"controller-uid\":\"uid-1\", \"job-name\":\"pi\"}: `selector` does not match template `labels`"),
        new("manual selector not matching", j => { j.Spec.ManualSelector = true; j.Spec.Selector = ValidObjects.Selector("other"); }, "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\", \"batch.kubernetes.io/controller-uid\":\"uid-1\", \"batch.kubernetes.io/job-name\":\"pi\", \"controller-uid\":\"uid-1\", \"job-name\":\"pi\"}: `selector` does not match template `labels`"),
        new("generated label missing", j => j.Spec.Template.Metadata.Labels.Remove("controller-uid"), "spec.template.metadata.labels[controller-uid]: Required value: must be 'uid-1'"),
        new("generated label changed", j => j.Spec.Template.Metadata.Labels["job-name"] = "other", "spec.template.metadata.labels[job-name]: Invalid value: map[string]string{\"app\":\"web\", \"batch.kubernetes.io/controller-uid\":\"uid-1\", \"batch.kubernetes.io/job-name\":\"pi\", \"controller-uid\":\"uid-1\", \"job-name\":\"other\"}: must be 'pi'"),
        new("selector not generated", j => j.Spec.Selector.MatchLabels["batch.kubernetes.io/controller-uid"] = "other", "spec.selector: Invalid value: &LabelSelector{MatchLabels:map[string]string{batch.kubernetes.io/controller-uid: other,},MatchExpressions:[]LabelSelectorRequirement{},}: `selector` not auto-generated", "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\", \"batch.kubernetes.io/controller-uid\":\"uid-1\", \"batch.kubernetes.io/job-name\":\"pi\", \"controller-uid\":\"uid-1\", \"job-name\":\"pi\"}: `selector` does not match template `labels`"),
        new("pod failure policy needs Never", j => { j.Spec.Template.Spec.RestartPolicy = "OnFailure"; j.Spec.PodFailurePolicy = new V1PodFailurePolicy { Rules = [new V1PodFailurePolicyRule { Action = "FailJob", OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement { OperatorProperty = "In", Values = [42] } }] }; }, "spec.template.spec.restartPolicy: Invalid value: \"OnFailure\": only \"Never\" is supported when podFailurePolicy is specified"),
        new("pod failure rule without requirement", j => j.Spec.PodFailurePolicy = new V1PodFailurePolicy { Rules = [new V1PodFailurePolicyRule { Action = "Ignore" }] }, "spec.podFailurePolicy.rules[0]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required"),
        new("pod failure exit code 0", j => j.Spec.PodFailurePolicy = new V1PodFailurePolicy { Rules = [new V1PodFailurePolicyRule { Action = "FailJob", OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement { OperatorProperty = "In", Values = [0] } }] }, "spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator"),
        new("pod failure action", j => j.Spec.PodFailurePolicy = new V1PodFailurePolicy { Rules = [new V1PodFailurePolicyRule { Action = "Retry", OnPodConditions = [new V1PodFailurePolicyOnPodConditionsPattern { Type = "DisruptionTarget" }] }] }, "spec.podFailurePolicy.rules[0].action: Unsupported value: \"Retry\": supported values: \"Count\", \"FailIndex\", \"FailJob\", \"Ignore\""),
        new("template container", j => j.Spec.Template.Spec.Containers[0].Name = "", "spec.template.spec.containers[0].name: Required value"),
    };

    [Fact]
    public void Validate_ValidJob_NoErrors() => Errors.Equal(JobValidation.Validate(ValidObjects.Job()));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_BrokenJob_UpstreamErrors(Case<V1Job> row)
    {
        var job = ValidObjects.Job();
        row.Break(job);

        Errors.Equal(JobValidation.Validate(job), row.Expected);
    }

    [Fact]
    public void Validate_IndexedJobWithLongName_PodHostnameChecked()
    {
        var job = ValidObjects.Job();
        job.Metadata.Name = new string('a', 62);
        JobSelectors.Generate(job);
        job.Spec.Template.Metadata.Labels["job-name"] = job.Metadata.Name;
        job.Spec.Template.Metadata.Labels["batch.kubernetes.io/job-name"] = job.Metadata.Name;
        job.Spec.CompletionMode = "Indexed";
        job.Spec.Completions = 10;

        Errors.Equal(JobValidation.Validate(job), $"metadata.name: Invalid value: \"{job.Metadata.Name}\": will not able to create pod with invalid DNS label: {job.Metadata.Name}-9");
    }

    [Fact]
    public void JobSelectors_Generate_SelectsByUidAndLabelsTemplate()
    {
        var job = new V1Job { Metadata = ValidObjects.Meta("pi"), Spec = new V1JobSpec { Template = ValidObjects.Template() } };

        JobSelectors.Generate(job);

        Assert.Equal(new Dictionary<string, string> { ["batch.kubernetes.io/controller-uid"] = "uid-1" }, job.Spec.Selector.MatchLabels);
        Assert.Equal("pi", job.Spec.Template.Metadata.Labels["batch.kubernetes.io/job-name"]);
        Assert.Equal("uid-1", job.Spec.Template.Metadata.Labels["controller-uid"]);
    }

    [Fact]
    public void ValidateUpdate_Template_Immutable()
    {
        var old = ValidObjects.Job();
        var job = ValidObjects.Job();
        job.Spec.Template.Spec.Containers[0].Image = "perl:5.40";

        Errors.Equal(JobValidation.ValidateUpdate(job, old), "spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable");
    }

    [Fact]
    public void ValidateUpdate_Completions_Immutable()
    {
        var old = ValidObjects.Job();
        old.Spec.Completions = 1;
        var job = ValidObjects.Job();
        job.Spec.Completions = 5;

        Errors.Equal(JobValidation.ValidateUpdate(job, old), "spec.completions: Invalid value: 5: field is immutable");
    }

    [Fact]
    public void ValidateUpdate_SuspendedJobSchedulingDirectives_Mutable()
    {
        var old = ValidObjects.Job();
        old.Spec.Suspend = true;
        var job = ValidObjects.Job();
        job.Spec.Suspend = false;
        job.Spec.Template.Spec.NodeSelector = new Dictionary<string, string> { ["zone"] = "a" };
        job.Spec.Template.Spec.Tolerations = [new V1Toleration { OperatorProperty = "Exists" }];

        Errors.Equal(JobValidation.ValidateUpdate(job, old));
    }

    [Fact]
    public void ValidateUpdate_ParallelismAndSuspend_Mutable()
    {
        var old = ValidObjects.Job();
        var job = ValidObjects.Job();
        job.Spec.Parallelism = 3;
        job.Spec.Completions = 1;
        job.Spec.Suspend = true;

        Errors.Equal(JobValidation.ValidateUpdate(job, old));
    }
}
