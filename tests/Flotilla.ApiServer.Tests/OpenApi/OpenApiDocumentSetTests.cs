using System.Text.Json.Nodes;
using Flotilla.Api.Resources;
using Flotilla.ApiServer.OpenApi;

namespace Flotilla.ApiServer.Tests.OpenApi;

public sealed class OpenApiDocumentSetTests
{
    [Theory]
    [InlineData("api")]
    [InlineData("api/v1")]
    [InlineData("apis")]
    [InlineData("apis/apps")]
    [InlineData("apis/apps/v1")]
    [InlineData("apis/autoscaling/v2")]
    [InlineData("apis/batch/v1")]
    [InlineData("apis/coordination.k8s.io/v1")]
    [InlineData("apis/discovery.k8s.io/v1")]
    [InlineData("apis/networking.k8s.io/v1")]
    [InlineData("apis/policy/v1")]
    [InlineData("apis/rbac.authorization.k8s.io")]
    [InlineData("apis/rbac.authorization.k8s.io/v1")]
    [InlineData("apis/scheduling.k8s.io/v1")]
    [InlineData("apis/storage.k8s.io/v1")]
    public void Index_Path_LinksDocumentByItsHash(string key)
    {
        var index = JsonNode.Parse(GeneratedDocuments.Set.Index)!;
        var document = GeneratedDocuments.Set.Find(key)!;

        Assert.Equal($"/openapi/v3/{key}?hash={document.Hash}", (string?)index["paths"]![key]!["serverRelativeURL"]);
        Assert.Equal(128, document.Hash.Length);
    }

    [Fact]
    public void Index_EveryCatalogueGroupVersion_HasADocument()
    {
        var paths = JsonNode.Parse(GeneratedDocuments.Set.Index)!["paths"]!.AsObject();
        foreach (var (group, version) in ResourceCatalog.Default.GroupVersions)
        {
            Assert.True(paths.ContainsKey(group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}"), $"{group}/{version}");
        }
    }

    [Fact]
    public void Documents_EveryRef_ResolvesToASchemaOfTheSameDocument()
    {
        foreach (var document in GeneratedDocuments.Set.Documents)
        {
            var root = GeneratedDocuments.Document(document.Key);
            var schemas = root["components"]!["schemas"]!.AsObject();
            var refs = new List<string>();
            CollectRefs(root, refs);

            Assert.NotEmpty(refs);
            foreach (var reference in refs)
            {
                Assert.StartsWith("#/components/schemas/", reference, StringComparison.Ordinal);
                Assert.True(schemas.ContainsKey(reference["#/components/schemas/".Length..]), $"{document.Key}: {reference}");
            }
        }
    }

    [Fact]
    public void Documents_EveryPatchOperation_OffersFieldValidationAndNamesItsKind()
    {
        var patches = 0;
        foreach (var document in GeneratedDocuments.Set.Documents)
        {
            foreach (var (path, item) in GeneratedDocuments.Document(document.Key)["paths"]!.AsObject())
            {
                if (item!["patch"] is not { } patch)
                {
                    continue;
                }

                patches++;
                Assert.Contains(patch["parameters"]!.AsArray(), p => (string?)p!["name"] == "fieldValidation" && (string?)p["in"] == "query");
                Assert.NotNull(patch["x-kubernetes-group-version-kind"]?["kind"]);
                Assert.NotNull(patch["requestBody"]!["content"]!["application/strategic-merge-patch+json"]);
                Assert.Equal("patch", (string?)patch["x-kubernetes-action"]);
                Assert.False(string.IsNullOrEmpty(path));
            }
        }

        Assert.True(patches > ResourceCatalog.Default.Resources.Count, $"{patches} patch operations");
    }

    [Fact]
    public void Build_Twice_GivesTheSameHashes()
    {
        var again = OpenApiDocumentSet.Build(ResourceCatalog.Default, ModelDocs.Load());

        Assert.Equal(GeneratedDocuments.Set.IndexHash, again.IndexHash);
    }

    [Fact]
    public void Document_Envelope_IsOpenApi300WithBearerScheme()
    {
        var root = GeneratedDocuments.Document("apis/apps/v1");

        Assert.Equal("3.0.0", (string?)root["openapi"]);
        Assert.Equal("Kubernetes", (string?)root["info"]!["title"]);
        Assert.Equal("apiKey", (string?)root["components"]!["securitySchemes"]!["BearerToken"]!["type"]);
    }

    [Theory]
    [InlineData("api", "/api/", "getCoreAPIVersions", "io.k8s.apimachinery.pkg.apis.meta.v1.APIVersions")]
    [InlineData("apis", "/apis/", "getAPIVersions", "io.k8s.apimachinery.pkg.apis.meta.v1.APIGroupList")]
    [InlineData("apis/apps", "/apis/apps/", "getAppsAPIGroup", "io.k8s.apimachinery.pkg.apis.meta.v1.APIGroup")]
    [InlineData("apis/rbac.authorization.k8s.io", "/apis/rbac.authorization.k8s.io/", "getRbacAuthorizationAPIGroup", "io.k8s.apimachinery.pkg.apis.meta.v1.APIGroup")]
    [InlineData("api/v1", "/api/v1/", "getCoreV1APIResources", "io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList")]
    [InlineData("apis/apps/v1", "/apis/apps/v1/", "getAppsV1APIResources", "io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList")]
    public void DiscoveryPath_Get_AnswersItsDiscoveryKind(string key, string path, string operationId, string schema)
    {
        var get = GeneratedDocuments.Operation(key, path, "get");

        Assert.Equal(operationId, (string?)get["operationId"]);
        Assert.Equal("#/components/schemas/" + schema, (string?)get["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]);
    }

    private static void CollectRefs(JsonNode? node, List<string> refs)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o)
                {
                    if (name == "$ref")
                    {
                        refs.Add((string)value!);
                    }
                    else
                    {
                        CollectRefs(value, refs);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    CollectRefs(item, refs);
                }

                break;
        }
    }
}
