using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Flotilla.ApiServer.Tests.Integration;

namespace Flotilla.ApiServer.Tests.Audit;

/// <summary>The audit log of a real HTTPS API server: what kubectl-like clients do lands in the file, secrets never.</summary>
public sealed partial class AuditLogServerTests(AuditApiServerFixture server) : IClassFixture<AuditApiServerFixture>
{
    private const string SecretValue = "hunter2-do-not-log";

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string AuditId(HttpResponseMessage response) => Assert.Single(response.Headers.GetValues("Audit-ID"));

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")]
    private static partial Regex MicroTime();

    [Fact]
    public async Task AdminCreate_EveryStage_WithBodiesAndDecision()
    {
        using var response = await server.Admin.PostAsync("/api/v1/namespaces/default/configmaps?fieldManager=audit-test",
            Json("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"audited"},"data":{"color":"blue"}}"""));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var events = await server.EventsForAsync(AuditId(response), 2);
        Assert.Equal(["RequestReceived", "ResponseComplete"], events.Select(e => (string?)e["stage"]));
        var done = events[1];
        Assert.Equal("audit.k8s.io/v1", (string?)done["apiVersion"]);
        Assert.Equal("Event", (string?)done["kind"]);
        Assert.Equal("RequestResponse", (string?)done["level"]);
        Assert.Equal("/api/v1/namespaces/default/configmaps?fieldManager=audit-test", (string?)done["requestURI"]);
        Assert.Equal("create", (string?)done["verb"]);
        Assert.Equal("""{"username":"admin","groups":["system:masters","system:authenticated"]}""", done["user"]!.ToJsonString());
        Assert.Equal(["127.0.0.1"], done["sourceIPs"]!.AsArray().Select(ip => (string?)ip));
        Assert.Equal("""{"resource":"configmaps","namespace":"default","name":"audited","apiVersion":"v1"}""", done["objectRef"]!.ToJsonString());
        Assert.Equal("""{"metadata":{},"code":201}""", done["responseStatus"]!.ToJsonString());
        Assert.Equal("blue", (string?)done["requestObject"]!["data"]!["color"]);
        Assert.Equal("audited", (string?)done["responseObject"]!["metadata"]!["name"]);
        Assert.False(string.IsNullOrEmpty((string?)done["responseObject"]!["metadata"]!["uid"]));
        Assert.Matches(MicroTime(), (string?)done["requestReceivedTimestamp"]);
        Assert.Matches(MicroTime(), (string?)done["stageTimestamp"]);
        Assert.Equal("""{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":""}""", done["annotations"]!.ToJsonString());

        // RequestReceived is logged before the handler: no response, no body yet, no decision.
        Assert.Null(events[0]["responseStatus"]);
        Assert.Null(events[0]["requestObject"]);
        Assert.Null(events[0]["annotations"]);
    }

    [Fact]
    public async Task Forbidden_LoggedWithStatusAndForbidDecision()
    {
        var jane = server.ClientFor("jane", "developers");
        using var response = await jane.GetAsync("/api/v1/namespaces/default/pods");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);

        var done = (await server.EventsForAsync(AuditId(response), 2))[1];
        Assert.Equal("list", (string?)done["verb"]);
        Assert.Equal("jane", (string?)done["user"]!["username"]);
        Assert.Equal(["developers", "system:authenticated"], done["user"]!["groups"]!.AsArray().Select(g => (string?)g));
        Assert.Equal(403, (int?)done["responseStatus"]!["code"]);
        Assert.Equal("Failure", (string?)done["responseStatus"]!["status"]);
        Assert.Equal("Forbidden", (string?)done["responseStatus"]!["reason"]);
        Assert.Equal("pods is forbidden: User \"jane\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"", (string?)done["responseStatus"]!["message"]);
        Assert.Equal("forbid", (string?)done["annotations"]!["authorization.k8s.io/decision"]);
        Assert.Equal("Forbidden", (string?)done["responseObject"]!["reason"]);
    }

    [Fact]
    public async Task AdmissionAnnotations_PodSecurityAuditViolations_AreLogged()
    {
        using var ns = new StringContent("""{"metadata":{"name":"audited","labels":{"pod-security.kubernetes.io/audit":"restricted"}}}""", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.Created, (await server.Admin.PostAsync("/api/v1/namespaces", ns)).StatusCode);
        await Flotilla.Tests.Shared.DefaultServiceAccounts.AddAsync(server.App.Services, "audited");
        using var pod = new StringContent("""{"metadata":{"name":"loose"},"spec":{"containers":[{"name":"app","image":"busybox"}]}}""", System.Text.Encoding.UTF8, "application/json");
        using var response = await server.Admin.PostAsync("/api/v1/namespaces/audited/pods", pod);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var done = (await server.EventsForAsync(AuditId(response), 2))[^1];
        Assert.StartsWith("would violate PodSecurity \"restricted:latest\"", (string?)done["annotations"]!["pod-security.kubernetes.io/audit-violations"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Impersonation_LoggedAsImpersonatedUser()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/default/pods");
        request.Headers.Add("Impersonate-User", "jane");
        using var response = await server.Admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);

        var done = (await server.EventsForAsync(AuditId(response), 2))[1];
        Assert.Equal("admin", (string?)done["user"]!["username"]);
        Assert.Equal("""{"username":"jane","groups":["system:authenticated"]}""", done["impersonatedUser"]!.ToJsonString());
        Assert.Equal("forbid", (string?)done["annotations"]!["authorization.k8s.io/decision"]);
    }

    [Fact]
    public async Task Anonymous401_OneEvent_NoUser()
    {
        var anonymous = server.Client(null);
        using var response = await anonymous.GetAsync("/api/v1/namespaces/kube-system/secrets");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        var id = AuditId(response);
        var ev = Assert.Single(await server.EventsForAsync(id, 1));
        Assert.Equal("ResponseStarted", (string?)ev["stage"]);
        Assert.Equal("list", (string?)ev["verb"]);
        Assert.Equal("{}", ev["user"]!.ToJsonString());
        Assert.Equal("""{"resource":"secrets","namespace":"kube-system","apiVersion":"v1"}""", ev["objectRef"]!.ToJsonString());
        Assert.Equal("""{"metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}""", ev["responseStatus"]!.ToJsonString());
        Assert.Null(ev["annotations"]);
    }

    [Fact]
    public async Task SecretCreateAndRead_MetadataOnly_DataNeverInTheFile()
    {
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(SecretValue));
        using var created = await server.Admin.PostAsync("/api/v1/namespaces/default/secrets",
            Json($$$"""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"db-password"},"data":{"password":"{{{encoded}}}"},"stringData":{"plain":"{{{SecretValue}}}"}}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var read = await server.Admin.GetAsync("/api/v1/namespaces/default/secrets/db-password");
        Assert.Contains(encoded, await read.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var yaml = new HttpRequestMessage(HttpMethod.Put, "/api/v1/namespaces/default/secrets/db-password")
        {
            Content = new StringContent($"apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-password\nstringData:\n  plain: {SecretValue}\n", Encoding.UTF8, "application/yaml"),
        };
        using var updated = await server.Admin.SendAsync(yaml);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);

        var create = (await server.EventsForAsync(AuditId(created), 2))[1];
        Assert.Equal("Metadata", (string?)create["level"]);
        Assert.Equal("""{"resource":"secrets","namespace":"default","name":"db-password","apiVersion":"v1"}""", create["objectRef"]!.ToJsonString());
        Assert.Equal(201, (int?)create["responseStatus"]!["code"]);
        Assert.Null(create["requestObject"]);
        Assert.Null(create["responseObject"]);
        Assert.Equal("Metadata", (string?)(await server.EventsForAsync(AuditId(read), 2))[1]["level"]);
        Assert.Equal("update", (string?)(await server.EventsForAsync(AuditId(updated), 2))[1]["verb"]);

        var file = AuditApiServerFixture.ReadShared(server.AuditLogPath);
        Assert.DoesNotContain(SecretValue, file, StringComparison.Ordinal);
        Assert.DoesNotContain(encoded, file, StringComparison.Ordinal);
        Assert.DoesNotContain(encoded[..12], file, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_ResponseStartedThenResponseCompleteWhenItEnds()
    {
        using var response = await server.Admin.GetAsync("/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = AuditId(response);
        var started = await server.EventsForAsync(id, 2);
        Assert.Equal(["RequestReceived", "ResponseStarted"], started.Select(e => (string?)e["stage"]));
        await response.Content.ReadAsStringAsync();  // the watch ends at its timeout

        var events = await server.EventsForAsync(id, 3);
        Assert.Equal(["RequestReceived", "ResponseStarted", "ResponseComplete"], events.Select(e => (string?)e["stage"]));
        Assert.All(events, e => Assert.Equal("watch", (string?)e["verb"]));
        Assert.Equal(200, (int?)events[1]["responseStatus"]!["code"]);
        Assert.Equal(200, (int?)events[2]["responseStatus"]!["code"]);
        Assert.Null(events[2]["responseObject"]);
    }

    [Fact]
    public async Task AuditId_FromTheClient_IsKept()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/default");
        request.Headers.Add("Audit-ID", "client-chosen-id");
        using var response = await server.Admin.SendAsync(request);

        Assert.Equal("client-chosen-id", AuditId(response));
        var done = (await server.EventsForAsync("client-chosen-id", 2))[1];
        Assert.Equal("""{"resource":"namespaces","namespace":"default","name":"default","apiVersion":"v1"}""", done["objectRef"]!.ToJsonString());
    }

    [Fact]
    public async Task LogFile_OwnerOnly()
    {
        using var response = await server.Admin.GetAsync("/api/v1/namespaces");
        await server.EventsForAsync(AuditId(response), 2);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(server.AuditLogPath));
    }
}
