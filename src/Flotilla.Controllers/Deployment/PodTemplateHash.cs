using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flotilla.Api.Serialization;
using k8s.Models;

namespace Flotilla.Controllers.Deployment;

/// <summary>
/// The <c>pod-template-hash</c> that names a Deployment's ReplicaSets (upstream ComputeHash: FNV-32a over the
/// template and the collision count, written in the alphabet of rand.SafeEncodeString), and template equality that
/// ignores it (EqualIgnoreHash: unset and empty are the same).
/// </summary>
public static class PodTemplateHash
{
    public const string Label = "pod-template-hash";

    public static string Compute(V1PodTemplateSpec template, int? collisionCount)
    {
        var bytes = Encoding.UTF8.GetBytes(Canonical(template) + (collisionCount is { } c ? c.ToString(CultureInfo.InvariantCulture) : string.Empty));
        return Framework.Hashing.SafeEncode(Framework.Hashing.Fnv32a(bytes));
    }

    public static bool EqualIgnoringHash(V1PodTemplateSpec? a, V1PodTemplateSpec? b) => Canonical(a) == Canonical(b);

    private static string Canonical(V1PodTemplateSpec? template)
    {
        var node = JsonSerializer.SerializeToNode(template, KubernetesJsonOptions.Value);
        if (node?["metadata"]?["labels"] is JsonObject labels)
        {
            labels.Remove(Label);
        }

        return Prune(node)?.ToJsonString() ?? string.Empty;
    }

    /// <summary>Drops nulls, empty objects and empty arrays, and sorts keys: semantic equality, as upstream's.</summary>
    private static JsonNode? Prune(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var sorted = new JsonObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (Prune(value?.DeepClone()) is { } kept)
                    {
                        sorted[key] = kept;
                    }
                }

                return sorted.Count == 0 ? null : sorted;
            case JsonArray array:
                var items = new JsonArray();
                foreach (var item in array)
                {
                    items.Add(Prune(item?.DeepClone()) ?? new JsonObject());
                }

                return items.Count == 0 ? null : items;
            default:
                return node;
        }
    }
}
