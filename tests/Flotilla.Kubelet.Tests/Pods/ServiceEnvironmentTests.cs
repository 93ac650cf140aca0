using Flotilla.Kubelet.Pods;
using k8s.Models;

namespace Flotilla.Kubelet.Tests.Pods;

public sealed class ServiceEnvironmentTests
{
    private static V1Service Service(string ns, string name, string ip, params V1ServicePort[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1ServiceSpec { ClusterIP = ip, Ports = ports },
    };

    private static V1Pod Pod(bool? links = null) => new() { Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "shop" }, Spec = new V1PodSpec { EnableServiceLinks = links } };

    private static readonly V1Service[] Services =
    [
        Service("default", "kubernetes", "10.43.0.1", new V1ServicePort { Name = "https", Port = 443, Protocol = "TCP" }),
        Service("shop", "cart-db", "10.43.0.20", new V1ServicePort { Name = "sql", Port = 5432 }, new V1ServicePort { Port = 9187, Protocol = "UDP" }),
        Service("shop", "headless", "None", new V1ServicePort { Port = 80 }),
        Service("other", "elsewhere", "10.43.0.30", new V1ServicePort { Port = 80 }),
    ];

    [Fact]
    public void TheNamespacesServices_AndTheApiServer_AsUpstreamNamesThem()
    {
        var env = ServiceEnvironment.For(Pod(), Services);
        Assert.Equal("10.43.0.1", env["KUBERNETES_SERVICE_HOST"]);
        Assert.Equal("443", env["KUBERNETES_SERVICE_PORT_HTTPS"]);
        Assert.Equal("tcp://10.43.0.1:443", env["KUBERNETES_PORT_443_TCP"]);
        Assert.Equal("5432", env["CART_DB_SERVICE_PORT"]);
        Assert.Equal("5432", env["CART_DB_SERVICE_PORT_SQL"]);
        Assert.Equal("tcp://10.43.0.20:5432", env["CART_DB_PORT"]);
        Assert.Equal(("udp", "9187", "10.43.0.20"), (env["CART_DB_PORT_9187_UDP_PROTO"], env["CART_DB_PORT_9187_UDP_PORT"], env["CART_DB_PORT_9187_UDP_ADDR"]));
        Assert.DoesNotContain(env.Keys, k => k.StartsWith("HEADLESS_", StringComparison.Ordinal) || k.StartsWith("ELSEWHERE_", StringComparison.Ordinal));
    }

    [Fact]
    public void WithoutServiceLinks_OnlyTheApiServer()
    {
        var env = ServiceEnvironment.For(Pod(links: false), Services);
        Assert.Contains("KUBERNETES_SERVICE_HOST", env.Keys);
        Assert.DoesNotContain(env.Keys, k => k.StartsWith("CART_DB", StringComparison.Ordinal));
    }
}
