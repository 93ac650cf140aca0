using k8s.Models;

namespace Flotilla.Api.Defaults;

/// <summary>Upstream's apps/v1 SetDefaults_DaemonSet: a rolling update one node at a time, no surge.</summary>
public static class DaemonSetDefaults
{
    public static void Apply(V1DaemonSet daemonSet)
    {
        ArgumentNullException.ThrowIfNull(daemonSet);
        var spec = daemonSet.Spec ??= new V1DaemonSetSpec();
        var strategy = spec.UpdateStrategy ??= new V1DaemonSetUpdateStrategy();
        if (string.IsNullOrEmpty(strategy.Type))
        {
            strategy.Type = DeploymentDefaults.RollingUpdate;
        }

        if (strategy.Type == DeploymentDefaults.RollingUpdate)
        {
            var rollingUpdate = strategy.RollingUpdate ??= new V1RollingUpdateDaemonSet();
            rollingUpdate.MaxUnavailable ??= 1;
            rollingUpdate.MaxSurge ??= 0;
        }

        spec.RevisionHistoryLimit ??= DeploymentDefaults.RevisionHistoryLimit;
        PodDefaults.ApplyToTemplate(spec.Template ??= new V1PodTemplateSpec());
    }
}
