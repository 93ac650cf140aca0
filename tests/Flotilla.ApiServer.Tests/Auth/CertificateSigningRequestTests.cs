using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Flotilla.Api.Certificates;
using Flotilla.ApiServer.Tests.Integration;

namespace Flotilla.ApiServer.Tests.Auth;

/// <summary>
/// certificates.k8s.io/v1 over HTTPS: the requester is recorded from who asks, the spec never changes, /status and
/// /approval each change only their part, and approving or signing needs the verb on the signer.
/// </summary>
public sealed class CertificateSigningRequestTests(SecureApiServerFixture server) : IClassFixture<SecureApiServerFixture>
{
    private const string Csrs = "/apis/certificates.k8s.io/v1/certificatesigningrequests";

    [Fact]
    public async Task Create_RecordsTheRequester_AndDropsAnyStatusSent()
    {
        // A join token's group may make requests (the node-bootstrapper binding).
        var carol = server.ClientFor("carol", Api.Bootstrap.BootstrapToken.NodeTokenGroup);

        var (code, body) = await carol.PostAsync(Csrs, Csr("rec", "example.com/tests", status: """{"conditions":[{"type":"Approved","status":"True"}]}"""));

        Assert.True(code == HttpStatusCode.Created, body?.ToJsonString());
        Assert.Equal("carol", (string?)body!["spec"]!["username"]);
        Assert.Equal([Api.Bootstrap.BootstrapToken.NodeTokenGroup, "system:authenticated"], body["spec"]!["groups"]!.AsArray().Select(g => (string?)g));
        Assert.Null(body["status"]?["conditions"]);
    }

    [Theory]
    [InlineData("""{"request":"bm90IGEgcmVxdWVzdA==","signerName":"example.com/x","usages":["client auth"]}""", "spec.request: Invalid value: \"<request data>\": PEM block type must be CERTIFICATE REQUEST")]
    [InlineData("""{"request":"{req}","signerName":"example.com/x","usages":[]}""", "spec.usages: Required value")]
    [InlineData("""{"request":"{req}","signerName":"example.com/x","usages":["flying"]}""", "spec.usages[0]: Unsupported value: \"flying\"")]
    [InlineData("""{"request":"{req}","signerName":"example.com/x","usages":["client auth","client auth"]}""", "spec.usages[1]: Duplicate value: \"client auth\"")]
    [InlineData("""{"request":"{req}","signerName":"example","usages":["client auth"]}""", "spec.signerName: Invalid value: \"example\": must be a fully qualified domain and path of the form 'example.com/signer-name'")]
    [InlineData("""{"request":"{req}","signerName":"kubernetes.io/legacy-unknown","usages":["client auth"]}""", "spec.signerName: Invalid value: \"kubernetes.io/legacy-unknown\": the legacy signerName is not allowed via this API version")]
    [InlineData("""{"request":"{req}","signerName":"example.com/x","usages":["client auth"],"expirationSeconds":599}""", "spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 600 seconds (10 minutes)")]
    public async Task Create_RefusesWhatUpstreamRefuses(string spec, string message)
    {
        var json = $$"""{"apiVersion":"certificates.k8s.io/v1","kind":"CertificateSigningRequest","metadata":{"generateName":"bad-"},"spec":{{spec.Replace("{req}", Request(), StringComparison.Ordinal)}}}""";

        var (code, body) = await server.Admin.PostAsync(Csrs, json);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Contains(message, (string?)body!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approval_NeedsApproveOnTheSigner_ThenOnlyConditionsChange_WithTimestamps()
    {
        await server.Admin.CreatedAsync(Csrs, Csr("appr", "example.com/tests"));
        var dave = server.ClientFor("dave");
        await GrantAsync("dave-csrs", "dave", """[{"apiGroups":["certificates.k8s.io"],"resources":["certificatesigningrequests","certificatesigningrequests/approval"],"verbs":["get","update"]}]""");
        var current = await GetAsync("appr");
        current["status"] = JsonNode.Parse("""{"conditions":[{"type":"Approved","status":"True","reason":"ByTest","message":"ok"}],"certificate":"c29tZXRoaW5n"}""");

        var (refused, why) = await dave.PutAsync($"{Csrs}/appr/approval", current.ToJsonString());
        Assert.Equal(HttpStatusCode.Forbidden, refused);
        Assert.Equal("certificatesigningrequests.certificates.k8s.io \"appr\" is forbidden: user not permitted to approve requests with signerName \"example.com/tests\"", (string?)why!["message"]);

        // The domain's wildcard is enough.
        await GrantAsync("dave-approves", "dave", """[{"apiGroups":["certificates.k8s.io"],"resources":["signers"],"resourceNames":["example.com/*"],"verbs":["approve"]}]""");
        var (code, approved) = await EventuallyAsync(() => dave.PutAsync($"{Csrs}/appr/approval", current.ToJsonString()));
        Assert.True(code == HttpStatusCode.OK, approved?.ToJsonString());
        var condition = approved!["status"]!["conditions"]![0]!;
        Assert.Equal("Approved", (string?)condition["type"]);
        Assert.NotNull((string?)condition["lastUpdateTime"]);
        Assert.NotNull((string?)condition["lastTransitionTime"]);
        Assert.Null(approved["status"]!["certificate"]);
    }

    [Fact]
    public async Task Status_CannotApprove_SetsTheCertificateOnce()
    {
        await server.Admin.CreatedAsync(Csrs, Csr("stat", "example.com/tests"));
        var current = await GetAsync("stat");
        current["status"] = JsonNode.Parse("""{"conditions":[{"type":"Approved","status":"True"}]}""");

        var (code, body) = await server.Admin.PutAsync($"{Csrs}/stat/status", current.ToJsonString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Contains("status.conditions: Forbidden: updates may not add a condition of type \"Approved\"", (string?)body!["message"], StringComparison.Ordinal);

        current = await GetAsync("stat");
        current["status"] = new JsonObject { ["certificate"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(server.Pki.Ca.ExportCertificatePem())) };
        (code, body) = await server.Admin.PutAsync($"{Csrs}/stat/status", current.ToJsonString());
        Assert.True(code == HttpStatusCode.OK, body?.ToJsonString());

        body!["status"]!["certificate"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(server.Pki.Server.ExportCertificatePem()));
        (code, body) = await server.Admin.PutAsync($"{Csrs}/stat/status", body.ToJsonString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Contains("status.certificate: Forbidden: updates may not modify existing certificate content", (string?)body!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_CertificateMustBeCertificatePem_AndSigningNeedsSignOnTheSigner()
    {
        await server.Admin.CreatedAsync(Csrs, Csr("sign", "example.com/tests"));
        var current = await GetAsync("sign");
        current["status"] = new JsonObject { ["certificate"] = Convert.ToBase64String(Encoding.ASCII.GetBytes("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")) };
        var (code, body) = await server.Admin.PutAsync($"{Csrs}/sign/status", current.ToJsonString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Contains("status.certificate: Invalid value: \"<certificate data>\": only CERTIFICATE PEM blocks are allowed, found \"PRIVATE KEY\"", (string?)body!["message"], StringComparison.Ordinal);

        await GrantAsync("erin-status", "erin", """[{"apiGroups":["certificates.k8s.io"],"resources":["certificatesigningrequests/status"],"verbs":["update"]}]""");
        current["status"] = new JsonObject { ["certificate"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(server.Pki.Ca.ExportCertificatePem())) };
        (code, body) = await EventuallyAsync(() => server.ClientFor("erin").PutAsync($"{Csrs}/sign/status", current.ToJsonString()), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Contains("user not permitted to sign requests with signerName \"example.com/tests\"", (string?)body!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_KeepsTheSpec_AndAnyNameIsAccepted()
    {
        await server.Admin.CreatedAsync(Csrs, Csr("Any_Name:Goes", "example.com/tests"));
        var current = await GetAsync("Any_Name:Goes");
        current["spec"]!["signerName"] = "example.com/other";
        current["metadata"]!["labels"] = new JsonObject { ["k"] = "v" };

        var (code, body) = await server.Admin.PutAsync($"{Csrs}/Any_Name:Goes", current.ToJsonString());

        Assert.True(code == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal("example.com/tests", (string?)body!["spec"]!["signerName"]);
        Assert.Equal("v", (string?)body["metadata"]!["labels"]!["k"]);
    }

    [Fact]
    public async Task ApiServerClientSigner_RefusesSystemMasters()
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddOrganizationName("system:masters");
        subject.AddCommonName("mallory");
        var (code, body) = await server.Admin.PostAsync(Csrs, Csr("masters", CertificateRequests.KubeApiServerClientSigner, subject: subject.Build()));

        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal("certificatesigningrequests.certificates.k8s.io \"masters\" is forbidden: use of kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed", (string?)body!["message"]);
    }

    private static string Csr(string name, string signer, string? status = null, X500DistinguishedName? subject = null) => $$"""
        {"apiVersion":"certificates.k8s.io/v1","kind":"CertificateSigningRequest","metadata":{"name":"{{name}}"},
         "spec":{"request":"{{Request(subject)}}","signerName":"{{signer}}","usages":["digital signature","client auth"]}{{(status is null ? "" : $",\"status\":{status}")}}}
        """;

    private static string Request(X500DistinguishedName? subject = null)
    {
        var (key, pem) = CertificateRequests.Create(subject ?? new X500DistinguishedName("CN=someone"), []);
        key.Dispose();
        return Convert.ToBase64String(pem);
    }

    private async Task<JsonNode> GetAsync(string name)
    {
        using var response = await server.Admin.GetAsync($"{Csrs}/{name}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private async Task GrantAsync(string name, string user, string rules)
    {
        await server.Admin.CreatedAsync($"{RbacClient.RbacApi}/clusterroles", $$"""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"{{name}}"},"rules":{{rules}}}""");
        await server.Admin.CreatedAsync($"{RbacClient.RbacApi}/clusterrolebindings", $$"""
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"{{name}}"},
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"{{name}}"},
             "subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"{{user}}"}]}
            """);
    }

    // Authorization reads the watch cache, which follows a new binding within moments.
    private static async Task<(HttpStatusCode Code, JsonNode? Body)> EventuallyAsync(Func<Task<(HttpStatusCode, JsonNode?)>> call, HttpStatusCode wanted = HttpStatusCode.OK)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var result = await call();
            if (result.Item1 == wanted || DateTime.UtcNow > deadline)
            {
                return result;
            }

            await Task.Delay(100);
        }
    }
}
