using System.Net;

namespace Flotilla.ApiServer.Tests.Integration;

public sealed class ServiceTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    private const string Services = "/api/v1/namespaces/default/services";

    [Fact]
    public async Task KubernetesService_ExistsAtFirstAddress()
    {
        var (code, svc) = await server.SendAsync(HttpMethod.Get, $"{Services}/kubernetes");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("10.43.0.1", (string?)svc!["spec"]!["clusterIP"]);
        Assert.Equal(443, (int?)svc["spec"]!["ports"]![0]!["port"]);

        // A loopback API server has no Endpoints: upstream validation refuses loopback endpoint addresses.
        var (epCode, _) = await server.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/endpoints/kubernetes");
        Assert.Equal(HttpStatusCode.NotFound, epCode);
    }

    [Fact]
    public async Task Create_AllocatesClusterIpInServiceCidr()
    {
        var (code, svc) = await server.SendAsync(HttpMethod.Post, Services, """{"metadata":{"name":"alloc"},"spec":{"selector":{"app":"x"},"ports":[{"port":80}]}}""");
        Assert.Equal(HttpStatusCode.Created, code);
        var ip = (string?)svc!["spec"]!["clusterIP"];
        Assert.StartsWith("10.43.", ip, StringComparison.Ordinal);
        Assert.Equal(ip, (string?)svc["spec"]!["clusterIPs"]![0]);
        Assert.NotEqual("10.43.0.1", ip);
    }

    [Fact]
    public async Task Create_TakenClusterIp_IsInvalid_AndReleasedAfterDelete()
    {
        var (first, _) = await server.SendAsync(HttpMethod.Post, Services, """{"metadata":{"name":"fixed-a"},"spec":{"clusterIP":"10.43.0.50","ports":[{"port":80}]}}""");
        Assert.Equal(HttpStatusCode.Created, first);

        var (code, body) = await server.SendAsync(HttpMethod.Post, Services, """{"metadata":{"name":"fixed-b"},"spec":{"clusterIP":"10.43.0.50","ports":[{"port":80}]}}""");
        Assert.Equal((HttpStatusCode)422, code);
        Assert.Contains("failed to allocate IP 10.43.0.50: provided IP is already allocated", (string?)body!["message"], StringComparison.Ordinal);

        await server.SendAsync(HttpMethod.Delete, $"{Services}/fixed-a");
        var (again, _) = await server.SendAsync(HttpMethod.Post, Services, """{"metadata":{"name":"fixed-b"},"spec":{"clusterIP":"10.43.0.50","ports":[{"port":80}]}}""");
        Assert.Equal(HttpStatusCode.Created, again);
    }

    [Fact]
    public async Task Create_ClusterIpOutsideRange_IsInvalid()
    {
        var (code, body) = await server.SendAsync(HttpMethod.Post, Services, """{"metadata":{"name":"outside"},"spec":{"clusterIP":"10.99.0.5","ports":[{"port":80}]}}""");
        Assert.Equal((HttpStatusCode)422, code);
        Assert.Contains("The range of valid IPs is 10.43.0.0/16", (string?)body!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodePort_AllocatedInRange_KeptOnUpdate_ConflictRejected()
    {
        var (code, svc) = await server.SendAsync(HttpMethod.Post, Services, """{"metadata":{"name":"np"},"spec":{"type":"NodePort","ports":[{"port":80}]}}""");
        Assert.Equal(HttpStatusCode.Created, code);
        var nodePort = (int)svc!["spec"]!["ports"]![0]!["nodePort"]!;
        Assert.InRange(nodePort, 30000, 32767);

        svc["spec"]!["ports"]![0]!.AsObject().Remove("nodePort");
        svc["metadata"]!.AsObject().Remove("resourceVersion");
        var (updated, after) = await server.SendAsync(HttpMethod.Put, $"{Services}/np", svc.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, updated);
        Assert.Equal(nodePort, (int)after!["spec"]!["ports"]![0]!["nodePort"]!);

        var (conflict, body) = await server.SendAsync(HttpMethod.Post, Services, $$"""{"metadata":{"name":"np2"},"spec":{"type":"NodePort","ports":[{"port":80,"nodePort":{{nodePort}}}]} }""");
        Assert.Equal((HttpStatusCode)422, conflict);
        Assert.Contains("provided port is already allocated", (string?)body!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Headless_GetsNoClusterIp()
    {
        var (code, svc) = await server.SendAsync(HttpMethod.Post, Services, """{"metadata":{"name":"headless"},"spec":{"clusterIP":"None","ports":[{"port":80}]}}""");
        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal("None", (string?)svc!["spec"]!["clusterIP"]);
    }
}
