using Flotilla.Api.Resources;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Core;

/// <summary>
/// Pods: created Pending with their QoS class (and SchedulingGated while they have scheduling gates); graceful
/// deletion (the kubelet finishes it) unless the pod never ran on a node.
/// </summary>
public sealed class PodStrategy(ResourceInfo resource) : ObjectStrategy<V1Pod>(resource)
{
    public static IDeletionPolicy Deletion { get; } = new PodDeletion();

    protected override void PrepareForCreate(V1Pod obj)
    {
        obj.Status = new V1PodStatus { Phase = "Pending", QosClass = PodQos.Of(obj) };
        if (obj.Spec?.SchedulingGates is { Count: > 0 })
        {
            obj.Status.Conditions =
            [
                new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "SchedulingGated", Message = "Scheduling is blocked due to non-empty scheduling gates" },
            ];
        }
    }

    private sealed class PodDeletion : DeletionPolicy
    {
        private const long DefaultGracePeriodSeconds = 30;

        // As upstream's pod strategy CheckGracefulDelete: an unscheduled or finished pod has nothing to stop.
        protected override long GracePeriodSeconds(IKubernetesObject<V1ObjectMeta> current, V1DeleteOptions? options)
        {
            var pod = (V1Pod)current;
            if (string.IsNullOrEmpty(pod.Spec?.NodeName) || pod.Status?.Phase is "Succeeded" or "Failed")
            {
                return 0;
            }

            return Math.Max(0, options?.GracePeriodSeconds ?? pod.Spec.TerminationGracePeriodSeconds ?? DefaultGracePeriodSeconds);
        }
    }
}
