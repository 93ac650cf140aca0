using k8s.Models;

namespace Flotilla.ApiServer.Printing;

/// <summary><c>resource.Quantity.String()</c> as the printers reach it.</summary>
internal static class Quantities
{
    /// <summary>A missing entry of a resource list is Go's zero quantity, which prints "0".</summary>
    public static string Of(IDictionary<string, ResourceQuantity>? resources, string name) =>
        resources is not null && resources.TryGetValue(name, out var q) && q is not null ? q.ToString() : "0";

    /// <summary>A nil <c>*Quantity</c> prints "&lt;nil&gt;".</summary>
    public static string OrNil(ResourceQuantity? quantity) => quantity?.ToString() ?? "<nil>";
}
