using k8s.Models;

namespace Flotilla.Api.Defaults;

/// <summary>Upstream's apps/v1 SetDefaults_ReplicaSet: one replica.</summary>
public static class ReplicaSetDefaults
{
    public static void Apply(V1ReplicaSet replicaSet)
    {
        ArgumentNullException.ThrowIfNull(replicaSet);
        var spec = replicaSet.Spec ??= new V1ReplicaSetSpec();
        spec.Replicas ??= 1;
        PodDefaults.ApplyToTemplate(spec.Template ??= new V1PodTemplateSpec());
    }
}
