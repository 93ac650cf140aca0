using k8s.Models;

namespace Flotilla.Api.Defaults;

/// <summary>
/// Upstream's autoscaling/v2 SetDefaults_HorizontalPodAutoscaler: at least one replica, 80% average CPU when no
/// metric is given, and a behavior that names any rule gets every unset field of both directions filled.
/// </summary>
public static class HorizontalPodAutoscalerDefaults
{
    public const int DefaultCpuUtilization = 80;
    public const string MaxChangePolicy = "Max";

    public static void Apply(V2HorizontalPodAutoscaler autoscaler)
    {
        ArgumentNullException.ThrowIfNull(autoscaler);
        var spec = autoscaler.Spec ??= new V2HorizontalPodAutoscalerSpec();
        spec.MinReplicas ??= 1;
        if (spec.Metrics is not { Count: > 0 })
        {
            spec.Metrics =
            [
                new V2MetricSpec
                {
                    Type = "Resource",
                    Resource = new V2ResourceMetricSource
                    {
                        Name = "cpu",
                        Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = DefaultCpuUtilization },
                    },
                },
            ];
        }

        if (spec.Behavior is { } behavior)
        {
            behavior.ScaleUp = Fill(behavior.ScaleUp, ScaleUpDefaults());
            behavior.ScaleDown = Fill(behavior.ScaleDown, ScaleDownDefaults());
        }
    }

    // The controller's historic behaviour: double or add four pods every 15s, whichever is more, right away.
    private static V2HPAScalingRules ScaleUpDefaults() => new()
    {
        StabilizationWindowSeconds = 0,
        SelectPolicy = MaxChangePolicy,
        Policies =
        [
            new V2HPAScalingPolicy { Type = "Pods", Value = 4, PeriodSeconds = 15 },
            new V2HPAScalingPolicy { Type = "Percent", Value = 100, PeriodSeconds = 15 },
        ],
    };

    // No stabilization window: the controller's --horizontal-pod-autoscaler-downscale-stabilization flag decides it.
    private static V2HPAScalingRules ScaleDownDefaults() => new()
    {
        SelectPolicy = MaxChangePolicy,
        Policies = [new V2HPAScalingPolicy { Type = "Percent", Value = 100, PeriodSeconds = 15 }],
    };

    private static V2HPAScalingRules Fill(V2HPAScalingRules? given, V2HPAScalingRules defaults)
    {
        if (given is null)
        {
            return defaults;
        }

        defaults.SelectPolicy = given.SelectPolicy ?? defaults.SelectPolicy;
        defaults.StabilizationWindowSeconds = given.StabilizationWindowSeconds ?? defaults.StabilizationWindowSeconds;
        defaults.Policies = given.Policies ?? defaults.Policies;
        defaults.Tolerance = given.Tolerance;
        return defaults;
    }
}
