using System.Text.Json.Nodes;

namespace Flotilla.ApiServer.OpenApi;

/// <summary>Builds one OpenAPI operation in kube-apiserver's shape: responses per media type, tags, action and GVK extensions.</summary>
internal static class Operations
{
    private static readonly string[] Media = ["application/json", "application/vnd.kubernetes.protobuf", "application/yaml"];

    private static readonly string[] StreamMedia =
    [
        "application/json", "application/json;stream=watch", "application/vnd.kubernetes.protobuf",
        "application/vnd.kubernetes.protobuf;stream=watch", "application/yaml",
    ];

    private static readonly string[] PatchMedia =
    [
        "application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json",
        "application/strategic-merge-patch+json",
    ];

    /// <summary>An operation; <paramref name="action"/> is upstream's <c>x-kubernetes-action</c> (get, list, post, patch, ...).</summary>
    public static JsonObject Create(
        string description,
        string operationId,
        string tag,
        string action,
        (string Group, string Version, string Kind) gvk,
        JsonObject responses,
        IEnumerable<JsonObject>? parameters = null,
        JsonObject? requestBody = null)
    {
        var operation = new JsonObject
        {
            ["description"] = description,
            ["operationId"] = operationId,
        };
        if (parameters?.ToArray() is { Length: > 0 } list)
        {
            operation["parameters"] = new JsonArray(list);
        }

        if (requestBody is not null)
        {
            operation["requestBody"] = requestBody;
        }

        operation["responses"] = responses;
        operation["tags"] = new JsonArray(tag);
        operation["x-kubernetes-action"] = action;
        operation["x-kubernetes-group-version-kind"] = new JsonObject
        {
            ["group"] = gvk.Group,
            ["kind"] = gvk.Kind,
            ["version"] = gvk.Version,
        };
        return operation;
    }

    /// <summary>A GET without an object kind (the group-version's resource list, discovery documents).</summary>
    public static JsonObject Discovery(string description, string operationId, string tag, string reference) => new()
    {
        ["description"] = description,
        ["operationId"] = operationId,
        ["responses"] = Responses(("200", "OK", reference)),
        ["tags"] = new JsonArray(tag),
    };

    /// <summary>Responses by status code, each answering <paramref name="codes"/>' schema in JSON, protobuf and YAML; then 401.</summary>
    public static JsonObject Responses(params (string Code, string Description, string Reference)[] codes) => Build(Media, codes);

    /// <summary>As <see cref="Responses"/>, also offering the watch stream media types (lists and watches).</summary>
    public static JsonObject StreamResponses(string reference) => Build(StreamMedia, [("200", "OK", reference)]);

    /// <summary>A required request body of <paramref name="reference"/> in any media type (create, replace, delete options).</summary>
    public static JsonObject Body(string reference, bool required = true)
    {
        var body = new JsonObject { ["content"] = new JsonObject { ["*/*"] = Schema(reference) } };
        if (required)
        {
            body["required"] = true;
        }

        return body;
    }

    /// <summary>The PATCH body: a <c>Patch</c> in each of the four patch media types; apply's <c>apply-patch+yaml</c> included.</summary>
    public static JsonObject PatchBody(string reference)
    {
        var content = new JsonObject();
        foreach (var media in PatchMedia)
        {
            content[media] = Schema(reference);
        }

        return new JsonObject { ["content"] = content, ["required"] = true };
    }

    private static JsonObject Build(string[] media, (string Code, string Description, string Reference)[] codes)
    {
        var responses = new JsonObject();
        foreach (var (code, description, reference) in codes)
        {
            var content = new JsonObject();
            foreach (var type in media)
            {
                content[type] = Schema(reference);
            }

            responses[code] = new JsonObject { ["content"] = content, ["description"] = description };
        }

        responses["401"] = new JsonObject { ["description"] = "Unauthorized" };
        return responses;
    }

    private static JsonObject Schema(string reference) => new() { ["schema"] = new JsonObject { ["$ref"] = reference } };
}
