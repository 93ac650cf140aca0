using Flotilla.Kubelet.Server;

namespace Flotilla.Kubelet.Tests.Server;

public sealed class KubeletAuthTests
{
    private static readonly KubeletUser Jane = new("jane", ["system:authenticated"]);

    [Theory]
    [InlineData("GET", "/containerLogs/default/p/app", "get", "proxy")]
    [InlineData("GET", "/pods", "get", "proxy")]
    [InlineData("GET", "/healthz", "get", "proxy")]
    [InlineData("GET", "/stats/summary", "get", "stats")]
    [InlineData("GET", "/stats", "get", "stats")]
    [InlineData("GET", "/statsx", "get", "proxy")]
    [InlineData("GET", "/metrics/cadvisor", "get", "metrics")]
    [InlineData("GET", "/logs/syslog", "get", "log")]
    [InlineData("POST", "/checkpoint/default/p/app", "create", "checkpoint")]
    [InlineData("POST", "/exec/default/p/app", "create", "proxy")]
    [InlineData("PUT", "/pods", "update", "proxy")]
    [InlineData("PATCH", "/pods", "patch", "proxy")]
    [InlineData("DELETE", "/pods", "delete", "proxy")]
    [InlineData("HEAD", "/pods", "", "proxy")]
    public void PathsAreAuthorizedAsUpstreamsKubeletDoes(string method, string path, string verb, string subresource)
    {
        var attributes = KubeletAuth.Attributes(Jane, "n1", method, path);
        Assert.Equal(new KubeletAttributes(Jane, verb, "n1", subresource), attributes);
    }

    [Fact]
    public void RefusalsUseUpstreamsWords()
    {
        var attributes = KubeletAuth.Attributes(Jane, "n1", "GET", "/pods");
        Assert.Equal("Forbidden (user=jane, verb=get, resource=nodes, subresource(s)=[proxy])\n", attributes.Forbidden());
        Assert.Equal("Authorization error (user=jane, verb=get, resource=nodes, subresource=proxy)", attributes.AuthorizationError());
    }
}
