using System.Text.Json;
using Flotilla.Api.Errors;
using Flotilla.ApiServer.Http;
using Flotilla.ApiServer.Registry;
using Flotilla.ApiServer.Validation;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Flotilla.ApiServer.Handlers;

/// <summary>POST (create) and PUT (update, of the object or its status).</summary>
public static class WriteHandlers
{
    public static async Task CreateAsync(HttpContext context, ResourceStorage storage, RequestInfo info, QueryOptions query)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(query);
        var obj = await ReadObjectAsync(context, storage.Strategy, FieldValidation.ParseDirective(query["fieldValidation"], "CreateOptions"));
        var result = await storage.CreateAsync(info.Namespace, obj, query.DryRun, RequestAdmission.For(context, info), context.RequestAborted);
        await ObjectWriter.WriteObjectAsync(context, storage, result.Object, StatusCodes.Status201Created, result.Json);
    }

    public static async Task UpdateAsync(HttpContext context, ResourceStorage storage, IObjectStrategy strategy, RequestInfo info, QueryOptions query)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(query);
        var body = await RequestBody.ReadAsync(context.Request, context.RequestAborted);
        var json = RequestBody.ToJson(body, context.Request.ContentType);
        CheckFields(context, strategy, json, FieldValidation.ParseDirective(query["fieldValidation"], "UpdateOptions"));
        var result = await storage.UpdateAsync(
            info.Namespace,
            info.Name!,
            strategy,
            _ => Decode(strategy, json),
            query.DryRun,
            RequestAdmission.For(context, info),
            context.RequestAborted);
        await ObjectWriter.WriteObjectAsync(context, storage, result.Object, result.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK, result.Json);
    }

    private static async Task<IKubernetesObject<V1ObjectMeta>> ReadObjectAsync(HttpContext context, IObjectStrategy strategy, FieldValidationDirective directive)
    {
        var body = await RequestBody.ReadAsync(context.Request, context.RequestAborted);
        var json = RequestBody.ToJson(body, context.Request.ContentType);
        CheckFields(context, strategy, json, directive);
        return Decode(strategy, json);
    }

    /// <summary>fieldValidation: unknown and duplicate fields fail the request (Strict) or come back as warnings (Warn).</summary>
    public static void CheckFields(HttpContext context, IObjectStrategy strategy, byte[] json, FieldValidationDirective directive)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(strategy);
        if (directive == FieldValidationDirective.Ignore)
        {
            return;
        }

        IReadOnlyList<StrictFieldError> errors;
        try
        {
            errors = FieldValidator.Check(json, strategy.Resource.ModelType);
        }
        catch (JsonException e)
        {
            throw StatusException.BadRequest($"error decoding the request body as JSON: {e.Message}");
        }

        foreach (var warning in FieldValidation.Enforce(directive, errors, strategy.Resource.Kind, strategy.Resource.Version))
        {
            context.Response.Headers.Append("Warning", warning);
        }
    }

    /// <summary>Decodes a request object, checking that its apiVersion and kind (when given) are the URL's.</summary>
    public static IKubernetesObject<V1ObjectMeta> Decode(IObjectStrategy strategy, byte[] json)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(json);
        var resource = strategy.Resource;
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw StatusException.BadRequest($"the body of the request must be a JSON object, not {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}");
            }

            if (doc.RootElement.TryGetProperty("apiVersion", out var apiVersion) && apiVersion.GetString() is { Length: > 0 } v && v != resource.ApiVersion)
            {
                throw StatusException.BadRequest($"the API version in the data ({v}) does not match the expected API version ({resource.ApiVersion})");
            }

            if (doc.RootElement.TryGetProperty("kind", out var kind) && kind.GetString() is { Length: > 0 } k && k != resource.Kind)
            {
                throw StatusException.BadRequest($"the kind in the data ({k}) does not match the expected kind ({resource.Kind})");
            }
        }
        catch (JsonException e)
        {
            throw StatusException.BadRequest($"error decoding the request body as JSON: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            throw StatusException.BadRequest($"error decoding the request body: {e.Message}");
        }

        return strategy.Decode(json);
    }
}
