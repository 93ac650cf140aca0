using Flotilla.Ingress.Routing;
using k8s.Models;

namespace Flotilla.Ingress.Tests.Routing;

public sealed class IngressRoutesTests
{
    private static readonly V1Service[] Services = [Service("web", ("http", 80)), Service("api", ("", 80)), Service("empty", ("http", 80)), Service("fallback", ("http", 80))];

    private static readonly V1EndpointSlice[] Slices =
    [
        Slice("web", "http", 8080, ("10.42.0.5", true), ("10.42.0.6", true), ("10.42.0.7", false)),
        Slice("api", string.Empty, 9090, ("10.42.0.8", true)),
        Slice("fallback", "http", 8000, ("10.42.0.9", true)),
    ];

    [Fact]
    public void HostsAndPaths_PickTheBackend_LongestPathFirst_ExactBeforePrefix()
    {
        var routes = IngressRoutes.Build(
            [
                Ingress("one", 1, Rule("a.example.test", ("/", "Prefix", "web", 80), ("/api", "Prefix", "api", 80), ("/api/exact", "Exact", "web", 80))),
                Ingress("two", 2, Rule("*.example.test", ("/", "Prefix", "api", 80)), Rule(null, ("/", "Prefix", "empty", 80))),
            ],
            Services,
            Slices);

        Assert.Equal("default/web:80", routes.Route("a.example.test", "/")?.Name);
        Assert.Equal("default/web:80", routes.Route("A.Example.Test:8443", "/index.html")?.Name);
        Assert.Equal("default/web:80", routes.Route("a.example.test.", "/")?.Name);
        Assert.Equal("default/api:80", routes.Route("a.example.test", "/api/v1")?.Name);
        Assert.Equal("default/web:80", routes.Route("a.example.test", "/api/exact")?.Name);
        Assert.Equal("default/web:80", routes.Route("a.example.test", "/apis")?.Name);
        Assert.Equal("default/api:80", routes.Route("b.example.test", "/")?.Name);
        Assert.Equal("default/empty:80", routes.Route("c.b.example.test", "/")?.Name);
        Assert.Equal("default/empty:80", routes.Route("example.test", "/")?.Name);
        Assert.Equal("default/empty:80", routes.Route(null, "/")?.Name);
    }

    [Fact]
    public void Backends_AreTheReadyEndpointsOfTheServicePort_TakenInTurn_NoneWhenMissing()
    {
        var routes = IngressRoutes.Build(
            [Ingress("one", 1, Rule("a", ("/web", "Prefix", "web", 80), ("/byname", "Prefix", "web", "http"), ("/api", "Prefix", "api", 80), ("/empty", "Prefix", "empty", 80), ("/nosvc", "Prefix", "nothing", 80), ("/noport", "Prefix", "web", 81)))],
            Services,
            Slices);

        var web = routes.Route("a", "/web")!;
        Assert.Equal(["10.42.0.5:8080", "10.42.0.6:8080"], web.Endpoints);
        Assert.Equal(["10.42.0.5:8080", "10.42.0.6:8080", "10.42.0.5:8080"], [web.Next(), web.Next(), web.Next()]);
        Assert.Equal(web.Endpoints, routes.Route("a", "/byname")!.Endpoints);
        Assert.Equal(["10.42.0.8:9090"], routes.Route("a", "/api")!.Endpoints);
        Assert.Empty(routes.Route("a", "/empty")!.Endpoints);
        Assert.Empty(routes.Route("a", "/nosvc")!.Endpoints);
        Assert.Empty(routes.Route("a", "/noport")!.Endpoints);
    }

    [Fact]
    public void NoRule_GoesToTheOldestDefaultBackend_Else404_AndTheOldestIngressWinsAPath()
    {
        var newer = Ingress("newer", 2, Rule("a", ("/", "Prefix", "api", 80)));
        newer.Spec.DefaultBackend = Backend("web", 80);
        var older = Ingress("older", 1, Rule("a", ("/", "Prefix", "web", 80)));
        older.Spec.DefaultBackend = Backend("fallback", 80);

        var routes = IngressRoutes.Build([newer, older], Services, Slices);

        Assert.Equal("default/web:80", routes.Route("a", "/x")?.Name);
        Assert.Equal("default/fallback:80", routes.Route("elsewhere", "/")?.Name);
        Assert.Null(IngressRoutes.Build([Ingress("one", 1, Rule("a", ("/", "Prefix", "web", 80)))], Services, Slices).Route("b", "/"));
        Assert.Null(IngressRoutes.Build([Ingress("one", 1, Rule("a", ("/app", "Prefix", "web", 80)))], Services, Slices).Route("a", "/"));
    }

    [Fact]
    public void IngressesAreOurs_ByClassName_ByAnnotation_OrWithoutClassWhenOursIsTheDefault()
    {
        var named = Ingress("a", 1);
        named.Spec.IngressClassName = "flotilla";
        var other = Ingress("b", 1);
        other.Spec.IngressClassName = "nginx";
        var annotated = Ingress("c", 1);
        annotated.Metadata.Annotations = new Dictionary<string, string> { ["kubernetes.io/ingress.class"] = "flotilla" };
        var plain = Ingress("d", 1);

        Assert.True(IngressRoutes.IsOurs(named, "flotilla", classIsDefault: false));
        Assert.False(IngressRoutes.IsOurs(other, "flotilla", classIsDefault: true));
        Assert.True(IngressRoutes.IsOurs(annotated, "flotilla", classIsDefault: false));
        Assert.True(IngressRoutes.IsOurs(plain, "flotilla", classIsDefault: true));
        Assert.False(IngressRoutes.IsOurs(plain, "flotilla", classIsDefault: false));
    }

    internal static V1Ingress Ingress(string name, int minute, params V1IngressRule[] rules) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", CreationTimestamp = new DateTime(2026, 12, 1, 0, minute, 0, DateTimeKind.Utc) },
        Spec = new V1IngressSpec { Rules = rules },
    };

    internal static V1IngressRule Rule(string? host, params (string Path, string Type, string Service, object Port)[] paths) => new()
    {
        Host = host,
        Http = new V1HTTPIngressRuleValue { Paths = [.. paths.Select(p => new V1HTTPIngressPath { Path = p.Path, PathType = p.Type, Backend = Backend(p.Service, p.Port) })] },
    };

    private static V1IngressBackend Backend(string service, object port) => new()
    {
        Service = new V1IngressServiceBackend { Name = service, Port = port is int number ? new V1ServiceBackendPort { Number = number } : new V1ServiceBackendPort { Name = (string)port } },
    };

    private static V1Service Service(string name, params (string Name, int Port)[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1ServiceSpec { ClusterIP = "10.43.0.50", Ports = [.. ports.Select(p => new V1ServicePort { Name = p.Name.Length == 0 ? null : p.Name, Port = p.Port, Protocol = "TCP" })] },
    };

    private static V1EndpointSlice Slice(string service, string portName, int port, params (string Ip, bool Ready)[] endpoints) => new()
    {
        Metadata = new V1ObjectMeta { Name = service + "-x", NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = service } },
        AddressType = "IPv4",
        Ports = [new Discoveryv1EndpointPort { Name = portName, Port = port, Protocol = "TCP" }],
        Endpoints = [.. endpoints.Select(e => new V1Endpoint { Addresses = [e.Ip], Conditions = new V1EndpointConditions { Ready = e.Ready } })],
    };
}
