using System.Text.Json;
using System.Text.Json.Nodes;
using Flotilla.Api.Serialization;

namespace Flotilla.ApiServer.Registry.Validation;

/// <summary>
/// Semantic equality and copies of k8s.Models objects through their JSON form: the generated records compare lists by
/// reference, upstream's apiequality.Semantic compares values and treats an empty list as equal to a missing one.
/// </summary>
public static class ModelJson
{
    public static bool SemanticEqual(object? a, object? b) =>
        JsonNode.DeepEquals(Normalize(ToNode(a)), Normalize(ToNode(b)));

    public static T Clone<T>(T value)
        where T : class =>
        JsonSerializer.Deserialize<T>(JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), KubernetesJsonOptions.Value), KubernetesJsonOptions.Value)!;

    public static JsonNode? ToNode(object? value) =>
        value is null ? null : JsonSerializer.SerializeToNode(value, value.GetType(), KubernetesJsonOptions.Value);

    // Drops nulls and empty arrays, so [] and an absent list compare equal (as Semantic.DeepEqual's nil vs empty slice).
    private static JsonNode? Normalize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    var normalized = Normalize(value);
                    if (normalized is not null && normalized is not JsonArray { Count: 0 })
                    {
                        copy[key] = normalized;
                    }
                }

                return copy;
            case JsonArray array:
                return new JsonArray([.. array.Select(Normalize)]);
            default:
                return node?.DeepClone();
        }
    }
}
