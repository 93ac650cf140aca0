using System.Globalization;
using k8s.Models;

namespace Flotilla.Controllers.Deployment;

/// <summary>Upstream deploymentutil's arithmetic: surge and unavailability, replica sums, proportional scaling.</summary>
public static class DeploymentMath
{
    public const string DesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas";
    public const string MaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas";

    public static int Replicas(V1Deployment d) => d.Spec.Replicas ?? 1;

    public static int Replicas(V1ReplicaSet rs) => rs.Spec.Replicas ?? 1;

    public static bool IsRollingUpdate(V1Deployment d) => d.Spec.Strategy?.Type is null or "RollingUpdate";

    /// <summary>An int, or a percentage of <paramref name="total"/> rounded up or down (GetScaledValueFromIntOrPercent).</summary>
    public static int Scaled(IntOrString? value, int total, bool roundUp)
    {
        var text = value?.Value ?? "0";
        if (!text.EndsWith('%'))
        {
            return int.Parse(text, CultureInfo.InvariantCulture);
        }

        var percent = int.Parse(text[..^1], CultureInfo.InvariantCulture);
        var scaled = (decimal)percent * total / 100;
        return (int)(roundUp ? Math.Ceiling(scaled) : Math.Floor(scaled));
    }

    /// <summary>maxSurge rounded up, maxUnavailable rounded down; both 0 makes maxUnavailable 1 (ResolveFenceposts).</summary>
    public static (int Surge, int Unavailable) Fenceposts(V1Deployment d)
    {
        var replicas = Replicas(d);
        var surge = Scaled(d.Spec.Strategy?.RollingUpdate?.MaxSurge ?? "25%", replicas, roundUp: true);
        var unavailable = Scaled(d.Spec.Strategy?.RollingUpdate?.MaxUnavailable ?? "25%", replicas, roundUp: false);
        return surge == 0 && unavailable == 0 ? (0, 1) : (surge, unavailable);
    }

    public static int MaxSurge(V1Deployment d) => IsRollingUpdate(d) ? Fenceposts(d).Surge : 0;

    public static int MaxUnavailable(V1Deployment d) =>
        !IsRollingUpdate(d) || Replicas(d) == 0 ? 0 : Math.Min(Fenceposts(d).Unavailable, Replicas(d));

    /// <summary>Sum of spec.replicas.</summary>
    public static int SpecReplicas(IEnumerable<V1ReplicaSet?> sets) => sets.OfType<V1ReplicaSet>().Sum(Replicas);

    /// <summary>Sum of status.replicas.</summary>
    public static int ActualReplicas(IEnumerable<V1ReplicaSet?> sets) => sets.OfType<V1ReplicaSet>().Sum(r => r.Status?.Replicas ?? 0);

    public static int ReadyReplicas(IEnumerable<V1ReplicaSet?> sets) => sets.OfType<V1ReplicaSet>().Sum(r => r.Status?.ReadyReplicas ?? 0);

    public static int AvailableReplicas(IEnumerable<V1ReplicaSet?> sets) => sets.OfType<V1ReplicaSet>().Sum(r => r.Status?.AvailableReplicas ?? 0);

    /// <summary>How big the new ReplicaSet may be now (NewRSNewReplicas): the surge allowance, at most the desired count.</summary>
    public static int NewReplicaSetReplicas(V1Deployment d, IEnumerable<V1ReplicaSet> all, V1ReplicaSet newRs)
    {
        if (!IsRollingUpdate(d))
        {
            return Replicas(d);
        }

        var maxTotal = Replicas(d) + Scaled(d.Spec.Strategy?.RollingUpdate?.MaxSurge ?? "25%", Replicas(d), roundUp: true);
        var current = SpecReplicas(all);
        return current >= maxTotal ? Replicas(newRs) : Replicas(newRs) + Math.Min(maxTotal - current, Replicas(d) - Replicas(newRs));
    }

    /// <summary>Sets the desired and max replicas annotations; true when they changed.</summary>
    public static bool SetReplicasAnnotations(V1ReplicaSet rs, int desired, int max)
    {
        rs.Metadata.Annotations ??= new Dictionary<string, string>();
        var (d, m) = (desired.ToString(CultureInfo.InvariantCulture), max.ToString(CultureInfo.InvariantCulture));
        if (rs.Metadata.Annotations.TryGetValue(DesiredReplicasAnnotation, out var hasD) && hasD == d &&
            rs.Metadata.Annotations.TryGetValue(MaxReplicasAnnotation, out var hasM) && hasM == m)
        {
            return false;
        }

        rs.Metadata.Annotations[DesiredReplicasAnnotation] = d;
        rs.Metadata.Annotations[MaxReplicasAnnotation] = m;
        return true;
    }

    public static int? Annotation(V1ReplicaSet rs, string name) =>
        rs.Metadata.Annotations?.TryGetValue(name, out var text) == true && int.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>This ReplicaSet's share of a scale by <paramref name="toAdd"/> (GetProportion), of which <paramref name="added"/> is handed out.</summary>
    public static int Proportion(V1ReplicaSet rs, V1Deployment d, int toAdd, int added)
    {
        if (Replicas(rs) == 0 || toAdd == 0 || toAdd == added)
        {
            return 0;
        }

        var fraction = Fraction(rs, d);
        var allowed = toAdd - added;
        return toAdd > 0 ? Math.Min(fraction, allowed) : Math.Max(fraction, allowed);
    }

    private static int Fraction(V1ReplicaSet rs, V1Deployment d)
    {
        if (Replicas(d) == 0)
        {
            return -Replicas(rs);
        }

        var max = Replicas(d) + MaxSurge(d);
        var before = Annotation(rs, MaxReplicasAnnotation) is { } annotated and not 0 ? annotated : d.Status?.Replicas ?? 0;
        if (before == 0)
        {
            return 0;
        }

        return (int)Math.Round((double)Replicas(rs) * max / before, MidpointRounding.AwayFromZero) - Replicas(rs);
    }
}
