using k8s.Models;

namespace Flotilla.Api.Defaults;

/// <summary>
/// Upstream's apps/v1 SetDefaults_StatefulSet (StatefulSetAutoDeletePVC is GA in 1.32, so the claim retention
/// policy is always defaulted), plus the claim defaults of every volume claim template.
/// </summary>
public static class StatefulSetDefaults
{
    public const string OrderedReady = "OrderedReady";
    public const string Retain = "Retain";

    public static void Apply(V1StatefulSet statefulSet)
    {
        ArgumentNullException.ThrowIfNull(statefulSet);
        var spec = statefulSet.Spec ??= new V1StatefulSetSpec();
        if (string.IsNullOrEmpty(spec.PodManagementPolicy))
        {
            spec.PodManagementPolicy = OrderedReady;
        }

        var strategy = spec.UpdateStrategy ??= new V1StatefulSetUpdateStrategy();
        if (string.IsNullOrEmpty(strategy.Type))
        {
            // Only a strategy that named no type gets a rollingUpdate block; an explicit RollingUpdate keeps its own.
            strategy.Type = DeploymentDefaults.RollingUpdate;
            strategy.RollingUpdate ??= new V1RollingUpdateStatefulSetStrategy();
        }

        if (strategy is { Type: DeploymentDefaults.RollingUpdate, RollingUpdate: { } rollingUpdate })
        {
            rollingUpdate.Partition ??= 0;
        }

        var retention = spec.PersistentVolumeClaimRetentionPolicy ??= new V1StatefulSetPersistentVolumeClaimRetentionPolicy();
        if (string.IsNullOrEmpty(retention.WhenDeleted))
        {
            retention.WhenDeleted = Retain;
        }

        if (string.IsNullOrEmpty(retention.WhenScaled))
        {
            retention.WhenScaled = Retain;
        }

        spec.Replicas ??= 1;
        spec.RevisionHistoryLimit ??= DeploymentDefaults.RevisionHistoryLimit;
        PodDefaults.ApplyToTemplate(spec.Template ??= new V1PodTemplateSpec());
        foreach (var claim in spec.VolumeClaimTemplates ?? [])
        {
            PersistentVolumeClaimDefaults.Apply(claim);
        }
    }
}
