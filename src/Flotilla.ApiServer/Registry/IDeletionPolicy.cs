using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Registry;

/// <summary>Decides how an object is deleted (upstream's rest.BeforeDelete with graceful deletion and finalizers).</summary>
public interface IDeletionPolicy
{
    DeletionPlan Plan(IKubernetesObject<V1ObjectMeta> current, V1DeleteOptions? options, TimeProvider time);

    /// <summary>Whether an update leaves a deleting object with nothing to wait for, so the update deletes it.</summary>
    bool DeleteOnUpdate(IKubernetesObject<V1ObjectMeta> updated);
}
