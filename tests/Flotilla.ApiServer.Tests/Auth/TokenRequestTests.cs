using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Flotilla.ApiServer.Tests.Integration;
using Flotilla.ApiServer.Tests.Protobuf;

namespace Flotilla.ApiServer.Tests.Auth;

/// <summary>The TokenRequest API over HTTPS, and the tokens it issues used against the same server.</summary>
public sealed class TokenRequestTests(SecureApiServerFixture server) : IClassFixture<SecureApiServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task TokenRequest_Is201_TheTokenGetsWhatRbacGrantsTheAccount_And401OnceTheAccountIsDeleted()
    {
        await CreateAccountAsync("tr-rbac", "robot");
        await server.Admin.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/apis/rbac.authorization.k8s.io/v1/namespaces/tr-rbac/roles",
            """{"metadata":{"name":"pod-reader"},"rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get","list"]}]}""");
        await server.Admin.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/apis/rbac.authorization.k8s.io/v1/namespaces/tr-rbac/rolebindings",
            """{"metadata":{"name":"robot-reads"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"pod-reader"},"subjects":[{"kind":"ServiceAccount","name":"robot"}]}""");

        var answer = (await server.Admin.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/namespaces/tr-rbac/serviceaccounts/robot/token", "{}"))!;
        Assert.Equal("TokenRequest", (string?)answer["kind"]);
        Assert.Equal("authentication.k8s.io/v1", (string?)answer["apiVersion"]);
        Assert.Equal(("robot", "tr-rbac"), ((string?)answer["metadata"]!["name"], (string?)answer["metadata"]!["namespace"]));
        Assert.Equal(["https://kubernetes.default.svc.cluster.local"], answer["spec"]!["audiences"]!.AsArray().Select(a => (string?)a));
        Assert.Equal(3600, (long?)answer["spec"]!["expirationSeconds"]);
        var created = DateTimeOffset.Parse((string)answer["metadata"]!["creationTimestamp"]!, System.Globalization.CultureInfo.InvariantCulture);
        var expires = DateTimeOffset.Parse((string)answer["status"]!["expirationTimestamp"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromHours(1), expires - created);

        var robot = server.Client(null, (string)answer["status"]!["token"]!);
        var me = await robot.WhoAmIAsync();
        Assert.Equal("system:serviceaccount:tr-rbac:robot", (string?)me["username"]);
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:tr-rbac", "system:authenticated"], me["groups"]!.AsArray().Select(g => (string?)g));
        Assert.StartsWith("JTI=", (string?)me["extra"]!["authentication.kubernetes.io/credential-id"]![0], StringComparison.Ordinal);
        await robot.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/v1/namespaces/tr-rbac/pods");
        var denied = await robot.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Get, "/api/v1/namespaces/tr-rbac/secrets");
        Assert.Equal("secrets is forbidden: User \"system:serviceaccount:tr-rbac:robot\" cannot list resource \"secrets\" in API group \"\" in the namespace \"tr-rbac\"", (string?)denied!["message"]);
        await robot.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Get, "/api/v1/namespaces/default/pods");

        await server.Admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, "/api/v1/namespaces/tr-rbac/serviceaccounts/robot");
        Assert.Equal(HttpStatusCode.Unauthorized, await EventuallyAsync(robot, "/api/v1/namespaces/tr-rbac/pods", HttpStatusCode.Unauthorized));

        // A new account of the same name does not revive the old account's tokens.
        await CreateAccountAsync("tr-rbac", "robot", createNamespace: false);
        await robot.ExpectAsync(HttpStatusCode.Unauthorized, HttpMethod.Get, "/api/v1/namespaces/tr-rbac/pods");
    }

    [Fact]
    public async Task TokenReview_AuthenticatesATokenAsTheApiServerWould()
    {
        await CreateAccountAsync("tr-review", "robot");
        var token = (string)(await server.Admin.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/namespaces/tr-review/serviceaccounts/robot/token", "{}"))!["status"]!["token"]!;

        var review = (await server.Admin.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/apis/authentication.k8s.io/v1/tokenreviews",
            $$$"""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"{{{token}}}"}}"""))!;
        Assert.True((bool?)review["status"]!["authenticated"]);
        Assert.Equal("system:serviceaccount:tr-review:robot", (string?)review["status"]!["user"]!["username"]);
        Assert.Equal(["https://kubernetes.default.svc.cluster.local"], review["status"]!["audiences"]!.AsArray().Select(a => (string?)a));

        var forged = (await server.Admin.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/apis/authentication.k8s.io/v1/tokenreviews",
            $$$"""{"spec":{"token":"{{{token[..^4]}}}AAAA"}}"""))!;
        Assert.False((bool?)forged["status"]!["authenticated"]);
        Assert.False(string.IsNullOrEmpty((string?)forged["status"]!["error"]));

        // Only those granted tokenreviews create (system:auth-delegator) may ask.
        await server.ClientFor("jane").ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, "/apis/authentication.k8s.io/v1/tokenreviews", $$$"""{"spec":{"token":"{{{token}}}"}}""");
    }

    [Fact]
    public async Task TokenRequest_LifetimeUnderTenMinutes_IsInvalid_MissingAccount_IsNotFound()
    {
        await CreateAccountAsync("tr-invalid", "robot");

        var invalid = await server.Admin.ExpectAsync(HttpStatusCode.UnprocessableEntity, HttpMethod.Post, "/api/v1/namespaces/tr-invalid/serviceaccounts/robot/token",
            """{"spec":{"expirationSeconds":599}}""");
        Assert.Equal("TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes", (string?)invalid!["message"]);
        var missing = await server.Admin.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, "/api/v1/namespaces/tr-invalid/serviceaccounts/nobody/token", "{}");
        Assert.Equal("serviceaccounts \"nobody\" not found", (string?)missing!["message"]);
        var mismatch = await server.Admin.ExpectAsync(HttpStatusCode.UnprocessableEntity, HttpMethod.Post, "/api/v1/namespaces/tr-invalid/serviceaccounts/robot/token",
            """{"metadata":{"name":"other"}}""");
        Assert.Equal("TokenRequest.authentication.k8s.io \"robot\" is invalid: metadata.name: Invalid value: \"other\": must match the service account name if specified", (string?)mismatch!["message"]);
    }

    [Fact]
    public async Task TokenRequest_OtherAudience_IsNotAcceptedByTheApi()
    {
        await CreateAccountAsync("tr-aud", "robot");
        var answer = await server.Admin.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/namespaces/tr-aud/serviceaccounts/robot/token",
            """{"spec":{"audiences":["vault"],"expirationSeconds":7200}}""");

        Assert.Equal(7200, (long?)answer!["spec"]!["expirationSeconds"]);
        await server.Client(null, (string)answer["status"]!["token"]!).ExpectAsync(HttpStatusCode.Unauthorized, HttpMethod.Get, "/api/v1/namespaces/tr-aud/pods");
    }

    [Fact]
    public async Task TokenRequest_BoundToAPod_NamesThePod_ChecksItsUidAndAccount_AndDiesWithIt()
    {
        await CreateAccountAsync("tr-pod", "robot");
        var pod = (await server.Admin.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/namespaces/tr-pod/pods",
            """{"metadata":{"name":"p"},"spec":{"serviceAccountName":"robot","containers":[{"name":"c","image":"busybox:1.35"}]}}"""))!;
        await server.Admin.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/namespaces/tr-pod/pods",
            """{"metadata":{"name":"other"},"spec":{"serviceAccountName":"default","containers":[{"name":"c","image":"busybox:1.35"}]}}""");
        const string Path = "/api/v1/namespaces/tr-pod/serviceaccounts/robot/token";

        var conflict = await server.Admin.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, Path, """{"spec":{"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"p","uid":"not-it"}}}""");
        Assert.Equal("Operation cannot be fulfilled on Pod \"p\": the UID in the bound object reference (not-it) does not match the UID in record. The object might have been deleted and then recreated", (string?)conflict!["message"]);
        var otherAccount = await server.Admin.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, Path, """{"spec":{"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"other"}}}""");
        Assert.Equal("cannot bind token for serviceaccount \"robot\" to pod running with different serviceaccount name.", (string?)otherAccount!["message"]);
        var kind = await server.Admin.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, Path, """{"spec":{"boundObjectRef":{"kind":"Deployment","apiVersion":"apps/v1","name":"d"}}}""");
        Assert.Equal("cannot bind token to object of type apps/v1, Kind=Deployment", (string?)kind!["message"]);

        var uid = (string)pod["metadata"]!["uid"]!;
        var answer = await server.Admin.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, Path, $$$$"""{"spec":{"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"p","uid":"{{{{uid}}}}"}}}""");
        var bound = server.Client(null, (string)answer!["status"]!["token"]!);
        var me = await bound.WhoAmIAsync();
        Assert.Equal("p", (string?)me["extra"]!["authentication.kubernetes.io/pod-name"]![0]);
        Assert.Equal(uid, (string?)me["extra"]!["authentication.kubernetes.io/pod-uid"]![0]);

        await server.Admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, "/api/v1/namespaces/tr-pod/pods/p");
        Assert.Equal(HttpStatusCode.Unauthorized, await EventuallyAsync(bound, "/apis/authentication.k8s.io/v1/selfsubjectreviews", HttpStatusCode.Unauthorized, HttpMethod.Post));
    }

    [Fact]
    public async Task TokenRequest_KubectlsProtobufBody_IsDecoded()
    {
        // kubectl create token sa --audience=api --duration=1h --bound-object-kind=Secret --bound-object-name=s
        await CreateAccountAsync("tr-proto", "sa");
        await server.Admin.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/namespaces/tr-proto/secrets", """{"metadata":{"name":"s"}}""");
        using var content = new ByteArrayContent(Golden.Read("token.pb"));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.kubernetes.protobuf");

        using var response = await server.Admin.PostAsync("/api/v1/namespaces/tr-proto/serviceaccounts/sa/token", content);

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        Assert.Equal(["api"], body["spec"]!["audiences"]!.AsArray().Select(a => (string?)a));
        Assert.Equal("s", (string?)body["spec"]!["boundObjectRef"]!["name"]);
        Assert.Equal(3600, (long?)body["spec"]!["expirationSeconds"]);
    }

    [Fact]
    public async Task Discovery_ListsTheTokenSubresourceOfServiceAccounts()
    {
        var list = (await server.Admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/v1"))!;

        var token = list["resources"]!.AsArray().Single(r => (string?)r!["name"] == "serviceaccounts/token")!;
        Assert.Equal(("authentication.k8s.io", "v1", "TokenRequest"), ((string?)token["group"], (string?)token["version"], (string?)token["kind"]));
        Assert.Equal(["create"], token["verbs"]!.AsArray().Select(v => (string?)v));
    }

    private async Task CreateAccountAsync(string ns, string name, bool createNamespace = true)
    {
        if (createNamespace)
        {
            await server.Admin.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/namespaces", $$$"""{"metadata":{"name":"{{{ns}}}"}}""");
            await Flotilla.Tests.Shared.DefaultServiceAccounts.AddAsync(server.App.Services, ns);
        }

        await server.Admin.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"/api/v1/namespaces/{ns}/serviceaccounts", $$$"""{"metadata":{"name":"{{{name}}}"}}""");
    }

    // Tokens are checked against the watch cache, which follows the store within moments.
    private static async Task<HttpStatusCode> EventuallyAsync(HttpClient client, string path, HttpStatusCode wanted, HttpMethod? method = null)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var (code, _) = await client.SendAsync(method ?? HttpMethod.Get, path, method == HttpMethod.Post ? """{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}""" : null);
            if (code == wanted || started.Elapsed > Deadline)
            {
                return code;
            }

            await Task.Delay(50);
        }
    }
}
