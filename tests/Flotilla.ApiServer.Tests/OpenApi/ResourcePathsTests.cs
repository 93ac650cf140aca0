namespace Flotilla.ApiServer.Tests.OpenApi;

public sealed class ResourcePathsTests
{
    [Theory]
    [InlineData("api/v1", "/api/v1/namespaces/{namespace}/pods/{name}", "patch", "patchCoreV1NamespacedPod", "patch", "Pod")]
    [InlineData("api/v1", "/api/v1/namespaces/{namespace}/pods/{name}", "get", "readCoreV1NamespacedPod", "get", "Pod")]
    [InlineData("api/v1", "/api/v1/namespaces/{namespace}/pods/{name}", "put", "replaceCoreV1NamespacedPod", "put", "Pod")]
    [InlineData("api/v1", "/api/v1/namespaces/{namespace}/pods/{name}", "delete", "deleteCoreV1NamespacedPod", "delete", "Pod")]
    [InlineData("api/v1", "/api/v1/namespaces/{namespace}/pods", "get", "listCoreV1NamespacedPod", "list", "Pod")]
    [InlineData("api/v1", "/api/v1/namespaces/{namespace}/pods", "post", "createCoreV1NamespacedPod", "post", "Pod")]
    [InlineData("api/v1", "/api/v1/namespaces/{namespace}/pods", "delete", "deleteCoreV1CollectionNamespacedPod", "deletecollection", "Pod")]
    [InlineData("api/v1", "/api/v1/pods", "get", "listCoreV1PodForAllNamespaces", "list", "Pod")]
    [InlineData("api/v1", "/api/v1/watch/namespaces/{namespace}/pods", "get", "watchCoreV1NamespacedPodList", "watchlist", "Pod")]
    [InlineData("api/v1", "/api/v1/watch/namespaces/{namespace}/pods/{name}", "get", "watchCoreV1NamespacedPod", "watch", "Pod")]
    [InlineData("api/v1", "/api/v1/watch/pods", "get", "watchCoreV1PodListForAllNamespaces", "watchlist", "Pod")]
    [InlineData("api/v1", "/api/v1/namespaces/{namespace}/pods/{name}/status", "patch", "patchCoreV1NamespacedPodStatus", "patch", "Pod")]
    [InlineData("api/v1", "/api/v1/namespaces/{namespace}/pods/{name}/binding", "post", "createCoreV1NamespacedPodBinding", "post", "Binding")]
    [InlineData("api/v1", "/api/v1/namespaces", "get", "listCoreV1Namespace", "list", "Namespace")]
    [InlineData("api/v1", "/api/v1/namespaces/{name}", "patch", "patchCoreV1Namespace", "patch", "Namespace")]
    [InlineData("api/v1", "/api/v1/watch/namespaces/{name}", "get", "watchCoreV1Namespace", "watch", "Namespace")]
    [InlineData("api/v1", "/api/v1/nodes/{name}/status", "put", "replaceCoreV1NodeStatus", "put", "Node")]
    [InlineData("api/v1", "/api/v1/namespaces/{namespace}/events/{name}", "patch", "patchCoreV1NamespacedEvent", "patch", "Event")]
    [InlineData("apis/apps/v1", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}", "patch", "patchAppsV1NamespacedDeployment", "patch", "Deployment")]
    [InlineData("apis/apps/v1", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale", "patch", "patchAppsV1NamespacedDeploymentScale", "patch", "Scale")]
    [InlineData("apis/autoscaling/v2", "/apis/autoscaling/v2/namespaces/{namespace}/horizontalpodautoscalers/{name}", "patch", "patchAutoscalingV2NamespacedHorizontalPodAutoscaler", "patch", "HorizontalPodAutoscaler")]
    [InlineData("apis/rbac.authorization.k8s.io/v1", "/apis/rbac.authorization.k8s.io/v1/clusterroles/{name}", "patch", "patchRbacAuthorizationV1ClusterRole", "patch", "ClusterRole")]
    [InlineData("apis/networking.k8s.io/v1", "/apis/networking.k8s.io/v1/namespaces/{namespace}/ingresses/{name}", "patch", "patchNetworkingV1NamespacedIngress", "patch", "Ingress")]
    public void Operation_HasUpstreamsIdActionAndKind(string key, string path, string method, string operationId, string action, string kind)
    {
        var operation = GeneratedDocuments.Operation(key, path, method);

        Assert.Equal(operationId, (string?)operation["operationId"]);
        Assert.Equal(action, (string?)operation["x-kubernetes-action"]);
        Assert.Equal(kind, (string?)operation["x-kubernetes-group-version-kind"]!["kind"]);
    }

    [Theory]
    [InlineData("api/v1", "/api/v1/namespaces/{namespace}/pods/{name}", "core_v1")]
    [InlineData("apis/rbac.authorization.k8s.io/v1", "/apis/rbac.authorization.k8s.io/v1/roles", "rbacAuthorization_v1")]
    public void Operation_Tag_IsGroupAndVersion(string key, string path, string tag)
    {
        Assert.Equal(tag, (string?)GeneratedDocuments.Operation(key, path, "get")["tags"]![0]);
    }

    [Fact]
    public void PatchOperation_Parameters_AreUpstreams()
    {
        var patch = GeneratedDocuments.Operation("api/v1", "/api/v1/namespaces/{namespace}/pods/{name}", "patch");

        Assert.Equal(
            new[] { "dryRun", "fieldManager", "fieldValidation", "force" },
            patch["parameters"]!.AsArray().Select(p => (string)p!["name"]!));
        Assert.Equal(
            new[] { "application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json" },
            patch["requestBody"]!["content"]!.AsObject().Select(c => c.Key));
    }

    [Fact]
    public void CreateOperation_TakesTheKindAndFieldValidation()
    {
        var post = GeneratedDocuments.Operation("apis/apps/v1", "/apis/apps/v1/namespaces/{namespace}/deployments", "post");

        Assert.Equal("#/components/schemas/io.k8s.api.apps.v1.Deployment", (string?)post["requestBody"]!["content"]!["*/*"]!["schema"]!["$ref"]);
        Assert.Contains(post["parameters"]!.AsArray(), p => (string?)p!["name"] == "fieldValidation");
    }

    [Fact]
    public void ItemPath_Parameters_NameTheObjectAndNamespace()
    {
        var parameters = GeneratedDocuments.Document("api/v1")["paths"]!["/api/v1/namespaces/{namespace}/pods/{name}"]!["parameters"]!.AsArray();

        Assert.Equal(new[] { "name", "namespace", "pretty" }, parameters.Select(p => (string)p!["name"]!));
        Assert.Equal("name of the Pod", (string?)parameters[0]!["description"]);
    }

    [Fact]
    public void ClusterScopedResource_HasNoNamespacedPaths()
    {
        var paths = GeneratedDocuments.Document("apis/rbac.authorization.k8s.io/v1")["paths"]!.AsObject();

        Assert.DoesNotContain(paths, p => p.Key.Contains("namespaces/{namespace}/clusterroles", StringComparison.Ordinal));
        Assert.Contains(paths, p => p.Key == "/apis/rbac.authorization.k8s.io/v1/clusterroles/{name}");
    }
}
