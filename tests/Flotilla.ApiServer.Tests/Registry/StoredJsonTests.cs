using System.Text;
using System.Text.Json.Nodes;
using Flotilla.Api.Resources;
using Flotilla.ApiServer.Registry;

namespace Flotilla.ApiServer.Tests.Registry;

public sealed class StoredJsonTests
{
    private static readonly ResourceInfo Pods = ResourceCatalog.Default.Find("", "v1", "pods")!;

    [Theory]
    [InlineData("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"},"spec":{}}""", "a")]
    [InlineData("""{"apiVersion":"v1","kind":"Pod","metadata":{}}""", null)]
    public void WithResourceVersion_SplicesIntoMetadata(string stored, string? name)
    {
        var result = StoredJson.WithResourceVersion(Encoding.UTF8.GetBytes(stored), StoredJson.Prefix(Pods), 42);

        var node = JsonNode.Parse(result)!;
        Assert.Equal("42", (string?)node["metadata"]!["resourceVersion"]);
        Assert.Equal(name, (string?)node["metadata"]!["name"]);
    }

    [Fact]
    public void WithResourceVersion_OtherShape_ReturnsNull()
    {
        Assert.Null(StoredJson.WithResourceVersion("""{"kind":"Pod","apiVersion":"v1","metadata":{}}"""u8, StoredJson.Prefix(Pods), 1));
    }
}
