using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flotilla.ApiServer.OpenApi;

/// <summary>
/// One served OpenAPI v3 document (<c>api/v1</c>, <c>apis/apps/v1</c>, ...): its JSON and the content hash the index
/// links it with, upper-case hex SHA-512 of the bytes as kube-openapi's handler3 computes its ETag.
/// </summary>
public sealed record OpenApiDocument(string Key, byte[] Json, string Hash)
{
    /// <summary>The link the index gives: <c>/openapi/v3/apis/apps/v1?hash=...</c>.</summary>
    public string ServerRelativeUrl => $"/openapi/v3/{Key}?hash={Hash}";

    internal static OpenApiDocument Create(string key, JsonObject paths, SchemaSet schemas)
    {
        var document = new JsonObject
        {
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas.ToJson(),
                ["securitySchemes"] = new JsonObject
                {
                    ["BearerToken"] = new JsonObject
                    {
                        ["description"] = "Bearer Token authentication",
                        ["in"] = "header",
                        ["name"] = "authorization",
                        ["type"] = "apiKey",
                    },
                },
            },
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "unversioned" },
            ["openapi"] = "3.0.0",
            ["paths"] = Sorted(paths),
        };
        var json = JsonSerializer.SerializeToUtf8Bytes(document);
        return new OpenApiDocument(key, json, HashOf(json));
    }

    internal static string HashOf(byte[] json) => Convert.ToHexString(SHA512.HashData(json));

    // Upstream marshals paths from a Go map: sorted by key.
    private static JsonObject Sorted(JsonObject paths)
    {
        var sorted = new JsonObject();
        foreach (var key in paths.Select(p => p.Key).Order(StringComparer.Ordinal).ToList())
        {
            var item = paths[key];
            paths.Remove(key);
            sorted[key] = item;
        }

        return sorted;
    }
}
