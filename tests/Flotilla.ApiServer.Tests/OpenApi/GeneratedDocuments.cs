using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Flotilla.Api.Resources;
using Flotilla.ApiServer.OpenApi;

namespace Flotilla.ApiServer.Tests.OpenApi;

/// <summary>The documents for the built-in catalogue, generated once for all tests (it takes about a second).</summary>
internal static class GeneratedDocuments
{
    private static readonly Lazy<OpenApiDocumentSet> LazySet = new(() => OpenApiDocumentSet.Build(ResourceCatalog.Default, ModelDocs.Load()));
    private static readonly ConcurrentDictionary<string, JsonObject> Parsed = new();

    public static OpenApiDocumentSet Set => LazySet.Value;

    /// <summary>The parsed document at <paramref name="key"/> (<c>api/v1</c>); callers must not modify it.</summary>
    public static JsonObject Document(string key) =>
        Parsed.GetOrAdd(key, k => JsonNode.Parse(Set.Find(k)?.Json ?? throw new KeyNotFoundException(k))!.AsObject());

    public static JsonObject Schema(string key, string name) =>
        Document(key)["components"]!["schemas"]![name]?.AsObject() ?? throw new KeyNotFoundException($"{key}: {name}");

    public static JsonObject Property(string key, string schema, string property) =>
        Schema(key, schema)["properties"]![property]?.AsObject() ?? throw new KeyNotFoundException($"{schema}.{property}");

    public static JsonObject Operation(string key, string path, string method) =>
        Document(key)["paths"]![path]?[method]?.AsObject() ?? throw new KeyNotFoundException($"{method} {path}");
}
