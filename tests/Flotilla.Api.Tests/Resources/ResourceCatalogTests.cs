using Flotilla.Api.Resources;

namespace Flotilla.Api.Tests.Resources;

public sealed class ResourceCatalogTests
{
    [Theory]
    [InlineData("", "v1", "pods", "Pod", true, "/registry/pods/")]
    [InlineData("", "v1", "namespaces", "Namespace", false, "/registry/namespaces/")]
    [InlineData("", "v1", "events", "Event", true, "/registry/events/")]
    [InlineData("apps", "v1", "deployments", "Deployment", true, "/registry/apps/deployments/")]
    [InlineData("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false, "/registry/rbac.authorization.k8s.io/clusterroles/")]
    [InlineData("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true, "/registry/autoscaling/horizontalpodautoscalers/")]
    public void Find_BuiltInResource_HasUpstreamNames(string group, string version, string plural, string kind, bool namespaced, string prefix)
    {
        var r = ResourceCatalog.Default.Find(group, version, plural);

        Assert.NotNull(r);
        Assert.Equal(kind, r.Kind);
        Assert.Equal(namespaced, r.Namespaced);
        Assert.Equal(prefix, r.StoragePrefix);
        Assert.Same(r, ResourceCatalog.Default.FindKind(group, version, kind));
    }

    [Fact]
    public void Default_NamesAreUnique_AndShortNamesDoNotCollide()
    {
        // Other versions of a kind (StoredAs) share its short names and its storage, as upstream's do.
        var all = ResourceCatalog.Default.Resources.Where(r => r.StoredAs is null).ToList();
        var shortNames = all.SelectMany(r => r.ShortNames).ToList();

        Assert.Equal(shortNames.Count, shortNames.Distinct().Count());
        Assert.Equal(all.Count, all.Select(r => r.StoragePrefix).Distinct().Count());
        Assert.Equal("v1", ResourceCatalog.Default.GroupVersions.First().Version);
        Assert.Equal(string.Empty, ResourceCatalog.Default.GroupVersions.First().Group);
    }

    [Fact]
    public void OtherVersions_ShareTheStorageOfTheirStorageVersion()
    {
        var v1 = ResourceCatalog.Default.Find("autoscaling", "v1", "horizontalpodautoscalers")!;
        Assert.Same(ResourceCatalog.Default.Find("autoscaling", "v2", "horizontalpodautoscalers"), v1.StoredAs);
        Assert.Equal(v1.StoredAs!.StoragePrefix, v1.StoragePrefix);
        Assert.Equal("/registry/events/", ResourceCatalog.Default.Find("events.k8s.io", "v1", "events")!.StoragePrefix);
    }

    [Fact]
    public void StorageKey_NamespacedAndClusterScoped()
    {
        Assert.Equal("/registry/pods/default/web", ResourceCatalog.Default.Find("", "v1", "pods")!.StorageKey("default", "web"));
        Assert.Equal("/registry/nodes/n1", ResourceCatalog.Default.Find("", "v1", "nodes")!.StorageKey(null, "n1"));
    }
}
