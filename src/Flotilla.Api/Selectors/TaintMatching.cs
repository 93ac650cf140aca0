using k8s.Models;

namespace Flotilla.Api.Selectors;

/// <summary>Whether a toleration tolerates a taint (upstream v1.Toleration.ToleratesTaint), for the scheduler and the taint eviction controller alike.</summary>
public static class TaintMatching
{
    /// <summary>
    /// An empty effect matches every effect, an empty key every key (only valid with Exists); the operator defaults
    /// to Equal, which compares values; Exists ignores the value.
    /// </summary>
    public static bool Tolerates(V1Toleration toleration, V1Taint taint)
    {
        ArgumentNullException.ThrowIfNull(toleration);
        ArgumentNullException.ThrowIfNull(taint);
        if (!string.IsNullOrEmpty(toleration.Effect) && toleration.Effect != taint.Effect)
        {
            return false;
        }

        if (!string.IsNullOrEmpty(toleration.Key) && toleration.Key != taint.Key)
        {
            return false;
        }

        return toleration.OperatorProperty switch
        {
            null or "" or "Equal" => (toleration.Value ?? string.Empty) == (taint.Value ?? string.Empty),
            "Exists" => true,
            _ => false,
        };
    }
}
