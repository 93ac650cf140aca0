using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flotilla.Api.Serialization;
using k8s.Models;

namespace Flotilla.Controllers.Framework;

/// <summary>
/// ControllerRevisions as DaemonSets and StatefulSets keep them (upstream's getPatch and pkg/controller/history):
/// the data is the pod template as a patch that replaces it, keys sorted as Go's JSON writes a map; two revisions
/// are the same when their data is.
/// </summary>
public static class ControllerRevisions
{
    /// <summary>Upstream's getPatch: <c>{"spec":{"template":{"$patch":"replace",...}}}</c>.</summary>
    public static string Patch(V1PodTemplateSpec template)
    {
        var node = JsonSerializer.SerializeToNode(template, KubernetesJsonOptions.Value)!.AsObject();
        node["$patch"] = "replace";
        return Canonical(new JsonObject { ["spec"] = new JsonObject { ["template"] = node } });
    }

    /// <summary>A revision's data in the same canonical form, to compare with <see cref="Patch"/>.</summary>
    public static string Canonical(object? data) => data switch
    {
        null => string.Empty,
        JsonNode node => Sorted(node)?.ToJsonString() ?? string.Empty,
        JsonElement element => Sorted(JsonNode.Parse(element.GetRawText()))?.ToJsonString() ?? string.Empty,
        _ => Sorted(JsonSerializer.SerializeToNode(data, KubernetesJsonOptions.Value))?.ToJsonString() ?? string.Empty,
    };

    /// <summary>The template a revision holds (what <c>ApplyRevision</c> puts back into the spec).</summary>
    public static V1PodTemplateSpec Template(V1ControllerRevision revision)
    {
        ArgumentNullException.ThrowIfNull(revision);
        var template = JsonNode.Parse(Canonical(revision.Data))?["spec"]?["template"]?.AsObject() ?? new JsonObject();
        template.Remove("$patch");
        return template.Deserialize<V1PodTemplateSpec>(KubernetesJsonOptions.Value)!;
    }

    /// <summary>Upstream's HashControllerRevision: FNV-32 over the data, then the collision count.</summary>
    public static string Hash(string data, int? collisionCount)
    {
        var bytes = Encoding.UTF8.GetBytes(data + (collisionCount is { } c ? c.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty));
        return Hashing.SafeEncode(Hashing.Fnv32(bytes));
    }

    /// <summary>Upstream's ControllerRevisionName: the owner's name (at most 223 characters) and the hash.</summary>
    public static string Name(string owner, string hash) => $"{(owner.Length > 223 ? owner[..223] : owner)}-{hash}";

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value?.DeepClone())))),
        JsonArray array => new JsonArray([.. array.Select(i => Sorted(i?.DeepClone()))]),
        _ => node?.DeepClone(),
    };
}
