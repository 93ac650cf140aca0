using Flotilla.ApiServer.Registry.Validation.Apps;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Validation.Apps;

/// <summary>Upstream's TestValidateDeployment and the apps/v1 selector rule on update.</summary>
public sealed class DeploymentValidationTests
{
    public static TheoryData<Case<V1Deployment>> Cases => new()
    {
        new("negative replicas", d => d.Spec.Replicas = -1, "spec.replicas: Invalid value: -1: must be greater than or equal to 0"),
        new("no selector", d => d.Spec.Selector = null, "spec.selector: Required value", "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`"),
        new("empty selector", d => d.Spec.Selector = new V1LabelSelector(), "spec.selector: Invalid value: &LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{},}: empty selector is invalid for deployment"),
        new("selector not matching", d => d.Spec.Template.Metadata.Labels["app"] = "api", "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"api\"}: `selector` does not match template `labels`"),
        new("selector operator", d => d.Spec.Selector = new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "app", OperatorProperty = "Equals", Values = ["web"] }] },
            "spec.selector.matchExpressions[0].operator: Invalid value: \"Equals\": not a valid selector operator",
            "spec.selector: Invalid value: &LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:app,Operator:Equals,Values:[web],},},}: invalid label selector"),
        new("selector In without values", d => d.Spec.Selector = new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "app", OperatorProperty = "In" }] },
            "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
            "spec.selector: Invalid value: &LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:app,Operator:In,Values:[],},},}: invalid label selector"),
        new("template label", d => d.Spec.Template.Metadata.Labels["tier"] = "front end", $"spec.template.labels: Invalid value: \"front end\": {Messages.LabelValue}"),
        new("template container", d => d.Spec.Template.Spec.Containers[0].Image = null, "spec.template.spec.containers[0].image: Required value"),
        new("restartPolicy", d => d.Spec.Template.Spec.RestartPolicy = "OnFailure", "spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\""),
        new("deadline", d => d.Spec.Template.Spec.ActiveDeadlineSeconds = 10, "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported"),
        new("strategy type", d => d.Spec.Strategy = new V1DeploymentStrategy { Type = "BlueGreen" }, "spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:\"BlueGreen\", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: \"Recreate\", \"RollingUpdate\""),
        new("Recreate with rolling update", d => d.Spec.Strategy = new V1DeploymentStrategy { Type = "Recreate", RollingUpdate = new V1RollingUpdateDeployment() }, "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"),
        new("both zero", d => d.Spec.Strategy = new V1DeploymentStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = 0, MaxUnavailable = "0%" } }, "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0%: may not be 0 when `maxSurge` is 0"),
        new("negative surge", d => d.Spec.Strategy = new V1DeploymentStrategy { RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = -1 } }, "spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0"),
        new("bad percent", d => d.Spec.Strategy = new V1DeploymentStrategy { RollingUpdate = new V1RollingUpdateDeployment { MaxUnavailable = "10 %" } }, "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 10 %: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"),
        new("more than 100%", d => d.Spec.Strategy = new V1DeploymentStrategy { RollingUpdate = new V1RollingUpdateDeployment { MaxUnavailable = "110%" } }, "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 110%: must not be greater than 100%"),
        new("revision history", d => d.Spec.RevisionHistoryLimit = -1, "spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0"),
        new("deadline not above minReady", d => { d.Spec.MinReadySeconds = 30; d.Spec.ProgressDeadlineSeconds = 30; }, "spec.progressDeadlineSeconds: Invalid value: 30: must be greater than minReadySeconds"),
    };

    [Fact]
    public void Validate_ValidDeployment_NoErrors() => Errors.Equal(DeploymentValidation.Validate(ValidObjects.Deployment()));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_BrokenDeployment_UpstreamErrors(Case<V1Deployment> row)
    {
        var deployment = ValidObjects.Deployment();
        row.Break(deployment);

        Errors.Equal(DeploymentValidation.Validate(deployment), row.Expected);
    }

    [Fact]
    public void ValidateUpdate_ChangedSelector_Immutable()
    {
        var old = ValidObjects.Deployment();
        var deployment = ValidObjects.Deployment();
        deployment.Spec.Selector = ValidObjects.Selector("api");
        deployment.Spec.Template.Metadata.Labels["app"] = "api";

        Errors.Equal(
            DeploymentValidation.ValidateUpdate(deployment, old),
            "spec.selector: Invalid value: &LabelSelector{MatchLabels:map[string]string{app: api,},MatchExpressions:[]LabelSelectorRequirement{},}: field is immutable");
    }

    [Fact]
    public void ValidateUpdate_ScaledAndNewImage_NoErrors()
    {
        var old = ValidObjects.Deployment();
        var deployment = ValidObjects.Deployment();
        deployment.Spec.Replicas = 5;
        deployment.Spec.Template.Spec.Containers[0].Image = "nginx:1.28";

        Errors.Equal(DeploymentValidation.ValidateUpdate(deployment, old));
    }
}
