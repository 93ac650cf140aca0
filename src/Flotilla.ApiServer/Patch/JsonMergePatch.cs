using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flotilla.ApiServer.Patch;

/// <summary>
/// Applies an <c>application/merge-patch+json</c> body (RFC 7386), as <c>kubectl label</c>, <c>annotate</c> and
/// <c>scale</c> send: a null member deletes, objects merge recursively, anything else replaces. Neither argument is modified.
/// </summary>
public static class JsonMergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : [];
        Merge(result, patchObject);
        return result;
    }

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null || value.GetValueKind() == JsonValueKind.Null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject patchChild)
            {
                if (target[key] is not JsonObject targetChild)
                {
                    targetChild = [];
                    target[key] = targetChild;
                }

                Merge(targetChild, patchChild);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }
}
