using System.Text.Json.Nodes;
using Flotilla.ApiServer.Patch;
using k8s.Models;

namespace Flotilla.ApiServer.OpenApi;

/// <summary>The small documents upstream publishes for the discovery endpoints: <c>/api/</c>, <c>/apis/</c> and <c>/apis/&lt;group&gt;/</c>.</summary>
internal static class DiscoveryDocuments
{
    public static OpenApiDocument Versions(ModelDocs docs) =>
        Single(docs, "api", "/api/", "get available API versions", "getCoreAPIVersions", "core", typeof(V1APIVersions));

    public static OpenApiDocument Groups(ModelDocs docs) =>
        Single(docs, "apis", "/apis/", "get available API versions", "getAPIVersions", "apis", typeof(V1APIGroupList));

    public static OpenApiDocument Group(ModelDocs docs, string group) =>
        Single(docs, $"apis/{group}", $"/apis/{group}/", "get information of a group",
            $"get{OperationNames.GroupPrefix(group)}APIGroup", OperationNames.GroupTag(group), typeof(V1APIGroup));

    private static OpenApiDocument Single(ModelDocs docs, string key, string path, string description, string operationId, string tag, Type response)
    {
        var schemas = new SchemaSet(docs, PatchMeta.Kubernetes);
        var paths = new JsonObject
        {
            [path] = new JsonObject { ["get"] = Operations.Discovery(description, operationId, tag, schemas.Ref(response)) },
        };
        return OpenApiDocument.Create(key, paths, schemas);
    }
}
