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
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Compute(V1PodTemplateSpec template, int? collisionCount)
    {
        var bytes = Encoding.UTF8.GetBytes(Canonical(template) + (collisionCount is { } c ? c.ToString(CultureInfo.InvariantCulture) : string.Empty));
        var value = Fnv32a(bytes);
        return SafeEncode(value.ToString(CultureInfo.InvariantCulture));
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

    private static uint Fnv32a(byte[] bytes)
    {
        var hash = 2166136261u;
        foreach (var b in bytes)
        {
            hash ^= b;
            hash *= 16777619u;
        }

        return hash;
    }

    private static string SafeEncode(string s)
    {
        var chars = s.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[chars[i] % Alphabet.Length];
        }

        return new string(chars);
    }
}
