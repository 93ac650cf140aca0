using Flotilla.ApiServer.Http;

namespace Flotilla.ApiServer.Tests.Http;

public sealed class RequestInfoParserTests
{
    [Theory]
    [InlineData("v1/namespaces/default/pods/web/log", "GET", "get", "default", "pods", "web", "log", null)]
    [InlineData("v1/nodes/n1/proxy", "GET", "get", null, "nodes", "n1", "proxy", "")]
    [InlineData("v1/nodes/n1/proxy/pods", "GET", "get", null, "nodes", "n1", "proxy", "pods")]
    [InlineData("v1/nodes/n1:10250/proxy/stats/summary", "POST", "create", null, "nodes", "n1:10250", "proxy", "stats/summary")]
    [InlineData("v1/namespaces/default/pods/web/status", "PATCH", "patch", "default", "pods", "web", "status", null)]
    public void ReadsSubresourcesAndWhatAProxyForwards(string path, string method, string verb, string? ns, string resource, string name, string subresource, string? proxyPath)
    {
        var info = RequestInfoParser.Parse(legacy: true, path.Split('/'), method, watch: false)!;
        Assert.Equal((verb, ns, resource, name, subresource, proxyPath), (info.Verb, info.Namespace, info.Resource, info.Name, info.Subresource, info.ProxyPath));
    }

    [Theory]
    [InlineData("watch", null, true)]
    [InlineData("get", "log", true)]
    [InlineData("get", "proxy", true)]
    [InlineData("create", "exec", true)]
    [InlineData("get", "status", false)]
    [InlineData("list", null, false)]
    public void LongRunningRequestsAreUpstreams(string verb, string? subresource, bool longRunning) =>
        Assert.Equal(longRunning, RequestInfo.IsLongRunning(verb, subresource));
}
