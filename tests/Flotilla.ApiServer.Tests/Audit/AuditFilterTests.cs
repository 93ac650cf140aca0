using System.Text;
using System.Text.Json.Nodes;
using Flotilla.Api.Errors;
using Flotilla.ApiServer.Audit;
using Flotilla.ApiServer.Auth;
using Flotilla.ApiServer.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.ApiServer.Tests.Audit;

/// <summary>The audit filter over bare HttpContexts: stages, levels and bodies without a server.</summary>
public sealed class AuditFilterTests
{
    private static readonly UserInfo Alice = new("alice", ["devs", "system:authenticated"]);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.Zero));

    private static AuditPolicy Policy(AuditLevel level, params AuditStage[] omit) =>
        new() { Rules = [new() { Level = level }], OmitStages = omit };

    private static DefaultHttpContext Request(string method, string pathAndQuery, UserInfo? user = null, string? body = null, string contentType = "application/json")
    {
        var context = new DefaultHttpContext();
        var parts = pathAndQuery.Split('?', 2);
        context.Request.Method = method;
        context.Request.Path = parts[0];
        context.Request.QueryString = parts.Length > 1 ? new QueryString("?" + parts[1]) : QueryString.Empty;
        context.Request.Headers.UserAgent = "kubectl/v1.32.0";
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("::ffff:127.0.0.1");
        context.Response.Body = new MemoryStream();
        if (user is not null)
        {
            context.Items[AuthenticationFilter.UserItem] = user;
        }

        if (body is not null)
        {
            context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
            context.Request.ContentType = contentType;
        }

        return context;
    }

    private async Task<IReadOnlyList<JsonObject>> RunAsync(AuditPolicy policy, HttpContext context, Func<HttpContext, Task> handler)
    {
        var target = new MemoryTarget();
        var log = new AuditLog(target, NullLogger.Instance, TimeProvider.System);
        var filter = new AuditFilter(new AuditPolicyChecker(policy), log, _time);
        try
        {
            await filter.InvokeAsync(context, () => handler(context));
        }
        finally
        {
            await log.DisposeAsync();
        }

        return target.Events;
    }

    private static async Task CreatedAsync(HttpContext context)
    {
        await RequestBody.ReadAsync(context.Request, CancellationToken.None);
        await ApiResponse.WriteJsonAsync(context, 201, """{"kind":"ConfigMap","metadata":{"name":"web","uid":"u-9"}}"""u8.ToArray());
    }

    [Fact]
    public async Task Create_RequestReceivedThenResponseComplete_WithMetadataOnly()
    {
        var context = Request("POST", "/api/v1/namespaces/default/configmaps?fieldManager=kubectl-create", Alice, """{"metadata":{"name":"web"},"data":{"k":"v"}}""");
        var events = await RunAsync(Policy(AuditLevel.Metadata), context, async c =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(1.5));
            await CreatedAsync(c);
        });

        Assert.Equal(["RequestReceived", "ResponseComplete"], events.Select(e => (string?)e["stage"]));
        var done = events[1];
        Assert.Equal("Metadata", (string?)done["level"]);
        Assert.Equal("/api/v1/namespaces/default/configmaps?fieldManager=kubectl-create", (string?)done["requestURI"]);
        Assert.Equal("create", (string?)done["verb"]);
        Assert.Equal("alice", (string?)done["user"]!["username"]);
        Assert.Equal(["127.0.0.1"], done["sourceIPs"]!.AsArray().Select(ip => (string?)ip));
        Assert.Equal("kubectl/v1.32.0", (string?)done["userAgent"]);
        Assert.Equal("""{"resource":"configmaps","namespace":"default","name":"web","apiVersion":"v1"}""", done["objectRef"]!.ToJsonString());
        Assert.Equal("""{"metadata":{},"code":201}""", done["responseStatus"]!.ToJsonString());
        Assert.Null(done["requestObject"]);
        Assert.Null(done["responseObject"]);
        Assert.Equal("2026-05-06T07:08:09.000000Z", (string?)done["requestReceivedTimestamp"]);
        Assert.Equal("2026-05-06T07:08:09.001500Z", (string?)done["stageTimestamp"]);
        Assert.Equal("2026-05-06T07:08:09.000000Z", (string?)events[0]["stageTimestamp"]);
        Assert.Null(events[0]["responseStatus"]);
        Assert.Equal((string?)events[0]["auditID"], (string?)done["auditID"]);
        Assert.Equal((string?)done["auditID"], context.Response.Headers[AuditContext.AuditIdHeader].ToString());
        Assert.True(Guid.TryParse((string?)done["auditID"], out _));
    }

    [Fact]
    public async Task RequestResponse_BodiesLogged_YamlBodyAsJson()
    {
        var context = Request("POST", "/api/v1/namespaces/default/configmaps", Alice, "metadata:\n  name: web\ndata:\n  k: v\n", "application/yaml");
        var events = await RunAsync(Policy(AuditLevel.RequestResponse, AuditStage.RequestReceived), context, CreatedAsync);

        var done = Assert.Single(events);
        Assert.Equal("""{"metadata":{"name":"web"},"data":{"k":"v"}}""", done["requestObject"]!.ToJsonString());
        Assert.Equal("""{"kind":"ConfigMap","metadata":{"name":"web","uid":"u-9"}}""", done["responseObject"]!.ToJsonString());
        Assert.Equal("""{"kind":"ConfigMap","metadata":{"name":"web","uid":"u-9"}}""", Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()));
    }

    [Fact]
    public async Task Request_RequestObjectButNoResponseObject()
    {
        var context = Request("PUT", "/apis/apps/v1/namespaces/default/deployments/web", Alice, """{"metadata":{"name":"web","uid":"u-1","resourceVersion":"42"}}""");
        var done = Assert.Single(await RunAsync(Policy(AuditLevel.Request, AuditStage.RequestReceived), context, CreatedAsync));

        Assert.NotNull(done["requestObject"]);
        Assert.Null(done["responseObject"]);
        Assert.Equal("""{"resource":"deployments","namespace":"default","name":"web","uid":"u-1","apiGroup":"apps","apiVersion":"v1","resourceVersion":"42"}""", done["objectRef"]!.ToJsonString());
    }

    [Fact]
    public async Task Secret_RequestResponsePolicy_LoggedAtMetadataWithoutData()
    {
        var context = Request("POST", "/api/v1/namespaces/default/secrets", Alice, """{"metadata":{"name":"db"},"data":{"password":"c3VwZXJzZWNyZXQ="}}""");
        var events = await RunAsync(Policy(AuditLevel.RequestResponse), context, async c =>
        {
            await RequestBody.ReadAsync(c.Request, CancellationToken.None);
            await ApiResponse.WriteJsonAsync(c, 201, """{"kind":"Secret","metadata":{"name":"db"},"data":{"password":"c3VwZXJzZWNyZXQ="}}"""u8.ToArray());
        });

        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Equal("Metadata", (string?)e["level"]));
        Assert.Equal("db", (string?)events[1]["objectRef"]!["name"]);
        Assert.All(events, e => Assert.DoesNotContain("c3VwZXJzZWNyZXQ", e.ToJsonString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task LevelNone_NothingLogged_HandlerStillRuns()
    {
        var ran = false;
        var events = await RunAsync(Policy(AuditLevel.None), Request("GET", "/api/v1/pods", Alice), _ =>
        {
            ran = true;
            return Task.CompletedTask;
        });

        Assert.True(ran);
        Assert.Empty(events);
    }

    [Fact]
    public async Task Failure_StatusFieldsLogged()
    {
        var context = Request("GET", "/api/v1/namespaces/default/pods/web", Alice);
        var done = Assert.Single(await RunAsync(Policy(AuditLevel.Metadata, AuditStage.RequestReceived), context,
            c => ApiResponse.WriteStatusAsync(c, StatusException.NotFound("", "pods", "web"))));

        Assert.Equal("""{"metadata":{},"status":"Failure","message":"pods \u0022web\u0022 not found","reason":"NotFound","details":{"name":"web","kind":"pods"},"code":404}""",
            done["responseStatus"]!.ToJsonString());
    }

    [Fact]
    public async Task Watch_ResponseStartedThenResponseComplete()
    {
        var context = Request("GET", "/api/v1/namespaces/default/pods?watch=true", Alice);
        var events = await RunAsync(Policy(AuditLevel.RequestResponse, AuditStage.RequestReceived), context, _ => Task.CompletedTask);

        Assert.Equal(["ResponseStarted", "ResponseComplete"], events.Select(e => (string?)e["stage"]));
        Assert.All(events, e => Assert.Equal("watch", (string?)e["verb"]));
        Assert.All(events, e => Assert.Equal(200, (int?)e["responseStatus"]!["code"]));
        Assert.All(events, e => Assert.Null(e["responseObject"]));
    }

    [Fact]
    public async Task HandlerThrows_PanicStage_ExceptionPropagates()
    {
        var context = Request("DELETE", "/api/v1/namespaces/default/pods/web", Alice);
        var target = new MemoryTarget();
        var log = new AuditLog(target, NullLogger.Instance, TimeProvider.System);
        var filter = new AuditFilter(new AuditPolicyChecker(Policy(AuditLevel.Metadata)), log, _time);

        await Assert.ThrowsAsync<InvalidOperationException>(() => filter.InvokeAsync(context, () => throw new InvalidOperationException("boom")));
        await log.DisposeAsync();

        Assert.Equal(["RequestReceived", "Panic"], target.Events.Select(e => (string?)e["stage"]));
        Assert.Equal("""{"metadata":{},"status":"Failure","message":"APIServer panic\u0027d: boom","reason":"InternalError","code":500}""", target.Events[1]["responseStatus"]!.ToJsonString());
    }

    [Fact]
    public async Task NonResourceRequest_NoObjectRef_VerbIsTheMethod()
    {
        var done = Assert.Single(await RunAsync(Policy(AuditLevel.RequestResponse, AuditStage.RequestReceived), Request("GET", "/apis", Alice),
            c => ApiResponse.WriteJsonAsync(c, 200, """{"kind":"APIGroupList"}"""u8.ToArray())));

        Assert.Equal("get", (string?)done["verb"]);
        Assert.Null(done["objectRef"]);
        Assert.Null(done["responseObject"]);
    }

    [Fact]
    public async Task FailedAuthentication_OneResponseStartedEvent_UnknownUser()
    {
        var context = Request("GET", "/api/v1/namespaces", user: null);
        var target = new MemoryTarget();
        var log = new AuditLog(target, NullLogger.Instance, TimeProvider.System);
        var filter = new AuditFilter(new AuditPolicyChecker(Policy(AuditLevel.RequestResponse)), log, _time);

        await filter.FailedAuthenticationAsync(context, () => ApiResponse.WriteStatusAsync(context, new StatusException(401, "Unauthorized", "Unauthorized")));
        await log.DisposeAsync();

        var ev = Assert.Single(target.Events);
        Assert.Equal("ResponseStarted", (string?)ev["stage"]);
        Assert.Equal("list", (string?)ev["verb"]);
        Assert.Equal("{}", ev["user"]!.ToJsonString());
        Assert.Equal("""{"metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}""", ev["responseStatus"]!.ToJsonString());
    }

    [Fact]
    public async Task SourceIps_ForwardedChainThenRemote()
    {
        var context = Request("GET", "/api/v1/pods", Alice);
        context.Request.Headers["X-Forwarded-For"] = "10.0.0.1, not-an-ip, 10.0.0.2";
        context.Request.Headers["X-Real-Ip"] = "10.0.0.2";
        var done = (await RunAsync(Policy(AuditLevel.Metadata), context, _ => Task.CompletedTask))[0];

        Assert.Equal(["10.0.0.1", "10.0.0.2", "127.0.0.1"], done["sourceIPs"]!.AsArray().Select(ip => (string?)ip));
    }
}
