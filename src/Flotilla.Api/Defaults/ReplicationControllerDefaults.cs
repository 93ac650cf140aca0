using k8s.Models;

namespace Flotilla.Api.Defaults;

/// <summary>
/// Upstream's SetDefaults_ReplicationController: the template's labels stand in for a missing selector and missing
/// controller labels; one replica.
/// </summary>
public static class ReplicationControllerDefaults
{
    public static void Apply(V1ReplicationController controller)
    {
        ArgumentNullException.ThrowIfNull(controller);
        var spec = controller.Spec ??= new V1ReplicationControllerSpec();
        if (spec.Template?.Metadata?.Labels is { Count: > 0 } labels)
        {
            if (spec.Selector is not { Count: > 0 })
            {
                spec.Selector = new Dictionary<string, string>(labels);
            }

            var metadata = controller.Metadata ??= new V1ObjectMeta();
            if (metadata.Labels is not { Count: > 0 })
            {
                metadata.Labels = new Dictionary<string, string>(labels);
            }
        }

        spec.Replicas ??= 1;
        PodDefaults.ApplyToTemplate(spec.Template);
    }
}
