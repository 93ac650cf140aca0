using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation;

/// <summary>resource.Quantity as upstream's validators use it: sign, comparison, integrality, canonical text.</summary>
public static class Quantities
{
    public static decimal Value(ResourceQuantity? quantity) => quantity?.ToDecimal() ?? 0m;

    public static bool IsNegative(ResourceQuantity? quantity) => Value(quantity) < 0;

    public static int Compare(ResourceQuantity? a, ResourceQuantity? b) => Value(a).CompareTo(Value(b));

    /// <summary>True when the quantity has no fractional part (upstream: <c>MilliValue() % 1000 == 0</c>).</summary>
    public static bool IsInteger(ResourceQuantity? quantity) => decimal.Truncate(Value(quantity) * 1000m) % 1000m == 0m;

    /// <summary>Quantity.String(): the canonical form (<c>1Gi</c>, <c>500m</c>, <c>-1</c>).</summary>
    public static string Canonical(ResourceQuantity? quantity)
    {
        if (quantity is null)
        {
            return "0";
        }

        var value = quantity.ToDecimal();

        // The client library's canonical form of a negative quantity is not Go's; print the magnitude and a sign.
        return value < 0
            ? "-" + new ResourceQuantity(-value, 0, quantity.Format).CanonicalizeString()
            : quantity.CanonicalizeString();
    }
}
