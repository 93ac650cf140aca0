using System.Text.Json;
using k8s;

namespace Flotilla.Api.Serialization;

/// <summary>
/// The serializer options of the KubernetesClient package (its converters for IntOrString, Quantity, timestamps),
/// captured once so encoding can go straight to UTF-8 bytes.
/// </summary>
public static class KubernetesJsonOptions
{
    public static JsonSerializerOptions Value { get; } = Capture();

    private static JsonSerializerOptions Capture()
    {
        JsonSerializerOptions? captured = null;
        KubernetesJson.AddJsonOptions(o => captured = o);
        return captured ?? throw new InvalidOperationException("KubernetesJson did not expose its serializer options");
    }
}
