using System.Text.Json;
using System.Text.Json.Nodes;
using Flotilla.Api.Resources;
using Flotilla.ApiServer.Patch;
using k8s.Models;

namespace Flotilla.ApiServer.OpenApi;

/// <summary>
/// Every OpenAPI v3 document the server publishes, generated once from the catalogue: one per served group-version,
/// plus the discovery documents upstream lists (<c>api</c>, <c>apis</c>, <c>apis/&lt;group&gt;</c>), and the
/// <c>/openapi/v3</c> index linking each by its content hash.
/// </summary>
public sealed class OpenApiDocumentSet
{
    private readonly Dictionary<string, OpenApiDocument> documents;

    private OpenApiDocumentSet(IEnumerable<OpenApiDocument> documents)
    {
        this.documents = documents.ToDictionary(d => d.Key, StringComparer.Ordinal);
        var paths = new JsonObject();
        foreach (var document in this.documents.Values.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            paths[document.Key] = new JsonObject { ["serverRelativeURL"] = document.ServerRelativeUrl };
        }

        Index = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["paths"] = paths });
        IndexHash = OpenApiDocument.HashOf(Index);
    }

    /// <summary><c>{"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=..."},...}}</c>.</summary>
    public byte[] Index { get; }

    public string IndexHash { get; }

    public IReadOnlyCollection<OpenApiDocument> Documents => documents.Values;

    public static OpenApiDocumentSet Build(ResourceCatalog catalog, ModelDocs docs)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(docs);
        var result = new List<OpenApiDocument> { DiscoveryDocuments.Versions(docs), DiscoveryDocuments.Groups(docs) };
        foreach (var group in catalog.GroupVersions.Select(g => g.Group).Where(g => g.Length > 0).Distinct())
        {
            result.Add(DiscoveryDocuments.Group(docs, group));
        }

        foreach (var (group, version) in catalog.GroupVersions)
        {
            result.Add(GroupVersion(catalog, docs, group, version));
        }

        return new OpenApiDocumentSet(result);
    }

    /// <summary>The document at <c>/openapi/v3/&lt;key&gt;</c>: <c>api/v1</c>, <c>apis/apps/v1</c>; null if none.</summary>
    public OpenApiDocument? Find(string key) => documents.GetValueOrDefault(key);

    private static OpenApiDocument GroupVersion(ResourceCatalog catalog, ModelDocs docs, string group, string version)
    {
        var schemas = new SchemaSet(docs, PatchMeta.Kubernetes);
        var key = group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";
        var paths = new JsonObject
        {
            [$"/{key}/"] = new JsonObject
            {
                ["get"] = Operations.Discovery(
                    "get available resources", $"get{OperationNames.GroupVersion(group, version)}APIResources",
                    OperationNames.Tag(group, version), schemas.Ref(typeof(V1APIResourceList))),
            },
        };
        var resourcePaths = new ResourcePaths(schemas);
        foreach (var resource in catalog.Resources.Where(r => r.Group == group && r.Version == version))
        {
            resourcePaths.Add(paths, resource);
        }

        return OpenApiDocument.Create(key, paths, schemas);
    }
}
