using Flotilla.Ingress.Routing;

namespace Flotilla.Ingress.Tests.Routing;

/// <summary>The examples of the Ingress documentation's path-matching table.</summary>
public sealed class PathMatchTests
{
    [Theory]
    [InlineData("Prefix", "/", "/aaa/bbb", true)]
    [InlineData("Exact", "/foo", "/foo", true)]
    [InlineData("Exact", "/foo", "/bar", false)]
    [InlineData("Exact", "/foo", "/foo/", false)]
    [InlineData("Exact", "/foo/", "/foo", false)]
    [InlineData("Prefix", "/foo", "/foo", true)]
    [InlineData("Prefix", "/foo", "/foo/", true)]
    [InlineData("Prefix", "/foo/", "/foo", true)]
    [InlineData("Prefix", "/foo/", "/foo/", true)]
    [InlineData("Prefix", "/aaa/bb", "/aaa/bbb", false)]
    [InlineData("Prefix", "/aaa/bbb", "/aaa/bbb", true)]
    [InlineData("Prefix", "/aaa/bbb/", "/aaa/bbb", true)]
    [InlineData("Prefix", "/aaa/bbb", "/aaa/bbb/", true)]
    [InlineData("Prefix", "/aaa/bbb", "/aaa/bbb/ccc", true)]
    [InlineData("Prefix", "/aaa/bbb", "/aaa/bbbxyz", false)]
    [InlineData("ImplementationSpecific", "/api", "/api/v1", true)]
    [InlineData("ImplementationSpecific", "/api", "/apis", false)]
    public void Paths_MatchAsTheIngressSpecificationSays(string pathType, string rulePath, string requestPath, bool matches) =>
        Assert.Equal(matches, PathMatch.Matches(pathType, rulePath, requestPath));
}
