using Flotilla.ApiServer.Registry.Validation.Autoscaling;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Validation.Autoscaling;

/// <summary>Upstream's TestValidateHorizontalPodAutoscaler for autoscaling/v2.</summary>
public sealed class HorizontalPodAutoscalerValidationTests
{
    public static TheoryData<Case<V2HorizontalPodAutoscaler>> Cases => new()
    {
        new("valid", _ => { }),
        new("min replicas 0", h => h.Spec.MinReplicas = 0, "spec.minReplicas: Invalid value: 0: must be greater than or equal to 1"),
        new("max below min", h => { h.Spec.MinReplicas = 5; h.Spec.MaxReplicas = 3; }, "spec.maxReplicas: Invalid value: 3: must be greater than or equal to `minReplicas`"),
        new("max 0", h => h.Spec.MaxReplicas = 0, "spec.maxReplicas: Invalid value: 0: must be greater than 0"),
        new("no target kind", h => h.Spec.ScaleTargetRef.Kind = "", "spec.scaleTargetRef.kind: Required value"),
        new("metric type", h => h.Spec.Metrics[0].Type = "Cpu", "spec.metrics[0].type: Unsupported value: \"Cpu\": supported values: \"ContainerResource\", \"External\", \"Object\", \"Pods\", \"Resource\"", "spec.metrics[0].type: Unsupported value: \"Cpu\": supported values: \"ContainerResource\", \"External\", \"Object\", \"Pods\", \"Resource\"", "spec.metrics[0].resource: Forbidden: must populate the given metric source only"),
        new("metric source missing", h => h.Spec.Metrics[0].Type = "Pods", "spec.metrics[0].pods: Required value: must populate information for the given metric source", "spec.metrics[0].resource: Forbidden: must populate the given metric source only"),
        new("target type", h => h.Spec.Metrics[0].Resource.Target.Type = "Percent", "spec.metrics[0].resource.target.type: Invalid value: \"Percent\": must be either Utilization, Value, or AverageValue"),
        new("zero utilization", h => h.Spec.Metrics[0].Resource.Target.AverageUtilization = 0, "spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0"),
        new("scaling policy", h => h.Spec.Behavior = new V2HorizontalPodAutoscalerBehavior { ScaleUp = new V2HPAScalingRules { Policies = [new V2HPAScalingPolicy { Type = "Pods", Value = 0, PeriodSeconds = 3600 }] } }, "spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero", "spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 3600: must be less than or equal to 1800"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_Autoscaler_UpstreamErrors(Case<V2HorizontalPodAutoscaler> row)
    {
        var autoscaler = new V2HorizontalPodAutoscaler
        {
            Metadata = ValidObjects.Meta(),
            Spec = new V2HorizontalPodAutoscalerSpec
            {
                ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "web" },
                MaxReplicas = 10,
                Metrics = [new V2MetricSpec { Type = "Resource", Resource = new V2ResourceMetricSource { Name = "cpu", Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = 80 } } }],
            },
        };
        row.Break(autoscaler);

        Errors.Equal(HorizontalPodAutoscalerValidation.Validate(autoscaler), row.Expected);
    }
}
