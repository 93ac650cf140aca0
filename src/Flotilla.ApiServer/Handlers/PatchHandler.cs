using System.Text.Json;
using System.Text.Json.Nodes;
using Flotilla.Api.Errors;
using Flotilla.Api.Validation;
using Flotilla.ApiServer.Http;
using Flotilla.ApiServer.Patch;
using Flotilla.ApiServer.Registry;
using Flotilla.ApiServer.Validation;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Flotilla.ApiServer.Handlers;

/// <summary>
/// PATCH with the three patch types kubectl sends: JSON patch (rollout undo), merge patch (label, annotate, scale)
/// and strategic merge patch (apply, edit, rollout restart, set image). The patch is applied to the current object
/// and the result goes through the normal update path, re-applied after a write conflict.
/// </summary>
public static class PatchHandler
{
    private const int MaxJsonPatchOperations = 10_000;

    public static async Task PatchAsync(HttpContext context, ResourceStorage storage, IObjectStrategy strategy, RequestInfo info, QueryOptions query)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(query);
        var patchType = MediaTypes.Essence(context.Request.ContentType);
        var body = await RequestBody.ReadAsync(context.Request, context.RequestAborted);
        var patch = ParsePatch(patchType, body);
        var directive = FieldValidation.ParseDirective(query["fieldValidation"], "PatchOptions");
        var warnings = new HashSet<string>(FieldValidation.Enforce(directive, FieldValidator.Check(body, null), storage.Resource.Kind, storage.Resource.Version));
        var result = await storage.UpdateAsync(
            info.Namespace,
            info.Name!,
            strategy,
            current =>
            {
                current = current ?? throw StatusException.NotFound(storage.Resource.Group, storage.Resource.Plural, info.Name!);
                var patched = ApplyToJson(JsonNode.Parse(strategy.Encode(current))!, patchType, patch.DeepClone(), strategy.Resource.ModelType);
                if (directive != FieldValidationDirective.Ignore)
                {
                    warnings.UnionWith(FieldValidation.Enforce(directive, FieldValidator.Check(patched, strategy.Resource.ModelType), storage.Resource.Kind, storage.Resource.Version));
                }

                return WriteHandlers.Decode(strategy, JsonSerializer.SerializeToUtf8Bytes(patched));
            },
            query.DryRun,
            RequestAdmission.For(context, info),
            context.RequestAborted);
        foreach (var warning in warnings)
        {
            context.Response.Headers.Append("Warning", warning);
        }

        await ObjectWriter.WriteObjectAsync(context, storage, result.Object, json: result.Json);
    }

    /// <summary>Applies a patch of <paramref name="patchType"/> to a JSON document (also used for the scale subresource).</summary>
    public static JsonNode ApplyToJson(JsonNode current, string patchType, JsonNode patch, Type modelType)
    {
        ArgumentNullException.ThrowIfNull(current);
        try
        {
            return patchType switch
            {
                MediaTypes.JsonPatch => JsonPatch.Apply(current, patch),
                MediaTypes.MergePatch => JsonMergePatch.Apply(current, patch) ?? throw StatusException.BadRequest("the patch replaces the object with null"),
                MediaTypes.StrategicMergePatch => StrategicMergePatch.Apply(current, patch, modelType),
                _ => throw Unsupported(patchType),
            };
        }
        catch (PatchException e) when (e.Message.Contains("test failed", StringComparison.Ordinal))
        {
            throw StatusException.Invalid(string.Empty, string.Empty, string.Empty, [FieldError.Invalid("patch", patch.ToJsonString(), e.Message)]);
        }
        catch (PatchException e)
        {
            throw StatusException.BadRequest(e.Message);
        }
    }

    public static JsonNode ParsePatch(string patchType, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (patchType is not (MediaTypes.JsonPatch or MediaTypes.MergePatch or MediaTypes.StrategicMergePatch))
        {
            throw Unsupported(patchType);
        }

        JsonNode? patch;
        try
        {
            patch = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            throw StatusException.BadRequest($"error decoding patch: {e.Message}");
        }

        if (patch is null || (patchType == MediaTypes.JsonPatch ? patch is not JsonArray : patch is not JsonObject))
        {
            throw StatusException.BadRequest(patchType == MediaTypes.JsonPatch
                ? "json: cannot unmarshal object into Go value of type jsonpatch.Patch"
                : "the patch must be a JSON object");
        }

        if (patch is JsonArray { Count: > MaxJsonPatchOperations })
        {
            throw StatusException.TooLarge($"The allowed maximum operations in a JSON patch is {MaxJsonPatchOperations}, got {((JsonArray)patch).Count}");
        }

        return patch;
    }

    private static StatusException Unsupported(string patchType) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json; got {patchType}");
}
