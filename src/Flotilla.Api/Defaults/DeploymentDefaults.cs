using k8s.Models;

namespace Flotilla.Api.Defaults;

/// <summary>
/// Upstream's apps/v1 SetDefaults_Deployment: one replica, a 25%/25% rolling update, ten old ReplicaSets kept,
/// progress reported stuck after ten minutes.
/// </summary>
public static class DeploymentDefaults
{
    public const string RollingUpdate = "RollingUpdate";
    public const string DefaultMaxSurge = "25%";
    public const string DefaultMaxUnavailable = "25%";
    public const int RevisionHistoryLimit = 10;
    public const int ProgressDeadlineSeconds = 600;

    public static void Apply(V1Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var spec = deployment.Spec ??= new V1DeploymentSpec();
        spec.Replicas ??= 1;
        var strategy = spec.Strategy ??= new V1DeploymentStrategy();
        if (string.IsNullOrEmpty(strategy.Type))
        {
            strategy.Type = RollingUpdate;
        }

        if (strategy.Type == RollingUpdate)
        {
            var rollingUpdate = strategy.RollingUpdate ??= new V1RollingUpdateDeployment();
            rollingUpdate.MaxUnavailable ??= DefaultMaxUnavailable;
            rollingUpdate.MaxSurge ??= DefaultMaxSurge;
        }

        spec.RevisionHistoryLimit ??= RevisionHistoryLimit;
        spec.ProgressDeadlineSeconds ??= ProgressDeadlineSeconds;
        PodDefaults.ApplyToTemplate(spec.Template ??= new V1PodTemplateSpec());
    }
}
