using k8s.Models;

namespace Flotilla.Api.Defaults;

/// <summary>Upstream's SetDefaults_ResourceList, applied to every resource list of every kind.</summary>
public static class ResourceListDefaults
{
    private const decimal MilliPerUnit = 1000m;

    /// <summary>
    /// Rounds quantities finer than a thousandth up to milli scale (away from zero), keeping their format: upstream
    /// stores "0.0001" as "1m" rather than rejecting it.
    /// </summary>
    public static void RoundUpToMilli(IDictionary<string, ResourceQuantity>? list)
    {
        if (list is null)
        {
            return;
        }

        foreach (var key in list.Keys.ToArray())
        {
            if (list[key] is { } quantity && RoundUpToMilli(quantity) is { } rounded)
            {
                list[key] = rounded;
            }
        }
    }

    /// <summary>Both lists of a container's (or a pod's) resource requirements.</summary>
    public static void RoundUpToMilli(V1ResourceRequirements? requirements)
    {
        RoundUpToMilli(requirements?.Limits);
        RoundUpToMilli(requirements?.Requests);
    }

    /// <summary>Both lists of a claim's resource requirements.</summary>
    public static void RoundUpToMilli(V1VolumeResourceRequirements? requirements)
    {
        RoundUpToMilli(requirements?.Limits);
        RoundUpToMilli(requirements?.Requests);
    }

    // Null when the quantity is already at milli precision (or too large for decimal, where no fraction survives).
    private static ResourceQuantity? RoundUpToMilli(ResourceQuantity quantity)
    {
        decimal milli;
        try
        {
            milli = quantity.ToDecimal() * MilliPerUnit;
        }
        catch (OverflowException)
        {
            return null;
        }

        if (milli == decimal.Truncate(milli))
        {
            return null;
        }

        var rounded = milli > 0 ? decimal.Ceiling(milli) : decimal.Floor(milli);
        return new ResourceQuantity(rounded, -3, quantity.Format);
    }
}
