using System.Text.Json.Nodes;

namespace Flotilla.ApiServer.Patch;

/// <summary>
/// Applies an <c>application/strategic-merge-patch+json</c> body as kube-apiserver does
/// (apimachinery's <c>StrategicMergeMapPatch</c>): maps merge key by key, null deletes, lists follow the model's
/// patch tags (<see cref="PatchMeta"/>), and the <c>$patch</c>, <c>$retainKeys</c>, <c>$setElementOrder/</c> and
/// <c>$deleteFromPrimitiveList/</c> directives apply. Neither argument is modified.
/// </summary>
public static class StrategicMergePatch
{
    /// <param name="original">The live object as JSON.</param>
    /// <param name="patch">The patch document.</param>
    /// <param name="modelType">The <c>k8s.Models</c> type of the object (e.g. <c>V1Deployment</c>), whose tags steer list merging.</param>
    public static JsonNode Apply(JsonNode original, JsonNode patch, Type modelType) => Apply(original, patch, modelType, PatchMeta.Kubernetes);

    /// <summary>As <see cref="Apply(JsonNode, JsonNode, Type)"/> with the tags of <paramref name="table"/>.</summary>
    public static JsonNode Apply(JsonNode original, JsonNode patch, Type modelType, PatchMetaTable table)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(patch);
        ArgumentNullException.ThrowIfNull(modelType);
        ArgumentNullException.ThrowIfNull(table);
        if (JsonTree.From(original) is not OrderedDictionary<string, object?> originalMap ||
            JsonTree.From(patch) is not OrderedDictionary<string, object?> patchMap)
        {
            throw new PatchException(StrategicMergeErrors.BadJsonDoc);
        }

        var merged = StrategicMapMerger.Merge(originalMap, patchMap, new PatchSchema(table, modelType));
        return JsonTree.To(merged)!;
    }
}
