using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Registry;

/// <summary>
/// What a DELETE does: remove the object now (<paramref name="Immediate"/>), store <paramref name="Updated"/> (marked
/// with deletionTimestamp, waiting for finalizers or a grace period), or nothing (already being deleted).
/// </summary>
public sealed record DeletionPlan(bool Immediate, IKubernetesObject<V1ObjectMeta>? Updated)
{
    public static DeletionPlan Now { get; } = new(true, null);

    public static DeletionPlan Unchanged { get; } = new(false, null);
}
