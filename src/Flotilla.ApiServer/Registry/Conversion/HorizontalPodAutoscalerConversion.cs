using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Conversion;

/// <summary>
/// autoscaling/v1 ↔ autoscaling/v2 HorizontalPodAutoscaler, as upstream: the CPU utilization target is the v2 CPU
/// resource metric; what v1 cannot express (other metrics, behavior, conditions) travels in annotations so a v1
/// round trip loses nothing.
/// </summary>
public sealed class HorizontalPodAutoscalerConversion : IVersionConverter
{
    private const string MetricsAnnotation = "autoscaling.alpha.kubernetes.io/metrics";
    private const string BehaviorAnnotation = "autoscaling.alpha.kubernetes.io/behavior";
    private const string ConditionsAnnotation = "autoscaling.alpha.kubernetes.io/conditions";
    private const string CurrentMetricsAnnotation = "autoscaling.alpha.kubernetes.io/current-metrics";

    public IKubernetesObject<V1ObjectMeta> ToServed(IKubernetesObject<V1ObjectMeta> stored)
    {
        var v2 = (V2HorizontalPodAutoscaler)stored;
        var annotations = new Dictionary<string, string>(v2.Metadata.Annotations ?? new Dictionary<string, string>());
        var cpu = v2.Spec?.Metrics?.FirstOrDefault(IsCpuUtilization);
        var others = v2.Spec?.Metrics?.Where(m => !ReferenceEquals(m, cpu)).ToList();
        Annotate(annotations, MetricsAnnotation, others);
        Annotate(annotations, BehaviorAnnotation, v2.Spec?.Behavior);
        Annotate(annotations, ConditionsAnnotation, v2.Status?.Conditions);
        var currentCpu = v2.Status?.CurrentMetrics?.FirstOrDefault(m => m.Type == "Resource" && m.Resource?.Name == "cpu");
        Annotate(annotations, CurrentMetricsAnnotation, v2.Status?.CurrentMetrics?.Where(m => !ReferenceEquals(m, currentCpu)).ToList());
        var meta = v2.Metadata;
        meta.Annotations = annotations.Count == 0 ? null : annotations;
        return new V1HorizontalPodAutoscaler
        {
            ApiVersion = "autoscaling/v1",
            Kind = "HorizontalPodAutoscaler",
            Metadata = meta,
            Spec = v2.Spec is null ? null : new V1HorizontalPodAutoscalerSpec
            {
                ScaleTargetRef = new V1CrossVersionObjectReference
                {
                    ApiVersion = v2.Spec.ScaleTargetRef?.ApiVersion,
                    Kind = v2.Spec.ScaleTargetRef?.Kind,
                    Name = v2.Spec.ScaleTargetRef?.Name,
                },
                MinReplicas = v2.Spec.MinReplicas,
                MaxReplicas = v2.Spec.MaxReplicas,
                TargetCPUUtilizationPercentage = cpu?.Resource?.Target?.AverageUtilization,
            },
            Status = v2.Status is null ? null : new V1HorizontalPodAutoscalerStatus
            {
                CurrentReplicas = v2.Status.CurrentReplicas ?? 0,
                DesiredReplicas = v2.Status.DesiredReplicas,
                LastScaleTime = v2.Status.LastScaleTime,
                ObservedGeneration = v2.Status.ObservedGeneration,
                CurrentCPUUtilizationPercentage = currentCpu?.Resource?.Current?.AverageUtilization,
            },
        };
    }

    public IKubernetesObject<V1ObjectMeta> ToStored(IKubernetesObject<V1ObjectMeta> served)
    {
        var v1 = (V1HorizontalPodAutoscaler)served;
        var annotations = new Dictionary<string, string>(v1.Metadata.Annotations ?? new Dictionary<string, string>());
        var metrics = Take<List<V2MetricSpec>>(annotations, MetricsAnnotation) ?? [];
        if (v1.Spec?.TargetCPUUtilizationPercentage is { } target)
        {
            metrics.Insert(0, new V2MetricSpec
            {
                Type = "Resource",
                Resource = new V2ResourceMetricSource { Name = "cpu", Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = target } },
            });
        }

        var behavior = Take<V2HorizontalPodAutoscalerBehavior>(annotations, BehaviorAnnotation);
        var conditions = Take<List<V2HorizontalPodAutoscalerCondition>>(annotations, ConditionsAnnotation);
        var currentMetrics = Take<List<V2MetricStatus>>(annotations, CurrentMetricsAnnotation) ?? [];
        if (v1.Status?.CurrentCPUUtilizationPercentage is { } current)
        {
            currentMetrics.Insert(0, new V2MetricStatus
            {
                Type = "Resource",
                Resource = new V2ResourceMetricStatus { Name = "cpu", Current = new V2MetricValueStatus { AverageUtilization = current } },
            });
        }

        var meta = v1.Metadata;
        meta.Annotations = annotations.Count == 0 ? null : annotations;
        return new V2HorizontalPodAutoscaler
        {
            ApiVersion = "autoscaling/v2",
            Kind = "HorizontalPodAutoscaler",
            Metadata = meta,
            Spec = v1.Spec is null ? null : new V2HorizontalPodAutoscalerSpec
            {
                ScaleTargetRef = new V2CrossVersionObjectReference
                {
                    ApiVersion = v1.Spec.ScaleTargetRef?.ApiVersion,
                    Kind = v1.Spec.ScaleTargetRef?.Kind,
                    Name = v1.Spec.ScaleTargetRef?.Name,
                },
                MinReplicas = v1.Spec.MinReplicas,
                MaxReplicas = v1.Spec.MaxReplicas,
                Metrics = metrics.Count == 0 ? null : metrics,
                Behavior = behavior,
            },
            Status = v1.Status is null ? null : new V2HorizontalPodAutoscalerStatus
            {
                CurrentReplicas = v1.Status.CurrentReplicas,
                DesiredReplicas = v1.Status.DesiredReplicas,
                LastScaleTime = v1.Status.LastScaleTime,
                ObservedGeneration = v1.Status.ObservedGeneration,
                CurrentMetrics = currentMetrics.Count == 0 ? null : currentMetrics,
                Conditions = conditions,
            },
        };
    }

    private static bool IsCpuUtilization(V2MetricSpec m) =>
        m.Type == "Resource" && m.Resource?.Name == "cpu" && m.Resource.Target?.Type == "Utilization";

    private static void Annotate(Dictionary<string, string> annotations, string key, object? value)
    {
        if (value is null or System.Collections.ICollection { Count: 0 })
        {
            return;
        }

        annotations[key] = KubernetesJson.Serialize(value);
    }

    private static T? Take<T>(Dictionary<string, string> annotations, string key)
        where T : class
    {
        if (!annotations.Remove(key, out var json))
        {
            return null;
        }

        try
        {
            return KubernetesJson.Deserialize<T>(json);
        }
        catch (System.Text.Json.JsonException)
        {
            // Not ours to interpret: a malformed annotation is dropped, as upstream drops what it cannot decode.
            return null;
        }
    }
}
