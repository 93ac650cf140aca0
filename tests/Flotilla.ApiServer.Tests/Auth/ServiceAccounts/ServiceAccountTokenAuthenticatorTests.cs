using System.Buffers.Text;
using System.Text;
using Flotilla.ApiServer.Auth.ServiceAccounts;
using Flotilla.ApiServer.Auth.Tokens;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.ApiServer.Tests.Auth.ServiceAccounts;

public sealed class ServiceAccountTokenAuthenticatorTests : IDisposable
{
    private const string Issuer = ServiceAccountTokenIssuer.DefaultIssuer;
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ServiceAccountKey _key = ServiceAccountKey.Ephemeral();
    private readonly FakeTimeProvider _time = new(Start);
    private readonly FakeObjectReader _objects = new();
    private readonly ServiceAccountTokenIssuer _issuer;
    private readonly ServiceAccountTokenAuthenticator _authenticator;
    private readonly V1ServiceAccount _account;

    public ServiceAccountTokenAuthenticatorTests()
    {
        _issuer = new ServiceAccountTokenIssuer(_key, Issuer, [Issuer]);
        _authenticator = new ServiceAccountTokenAuthenticator(_issuer, _objects, _time);
        _account = _objects.Add(Account("sa-uid-1"));
    }

    public void Dispose() => _key.Dispose();

    [Fact]
    public async Task Authenticate_ValidToken_IsTheServiceAccount()
    {
        var result = await AuthenticateAsync(Token());

        Assert.Null(result.Error);
        Assert.Equal("system:serviceaccount:ns:robot", result.User!.Name);
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:ns"], result.User.Groups);
        Assert.Equal("sa-uid-1", result.User.Uid);
        Assert.Equal(["JTI=jti-1"], result.User.Extra![ServiceAccountUser.CredentialIdKey]);
    }

    [Fact]
    public async Task Authenticate_PodBoundToken_CarriesThePodAndItsNode_UntilThePodIsGoneOrReplaced()
    {
        var pod = _objects.Add(new V1Pod { Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "ns", Uid = "pod-uid" } });
        var node = new V1Node { Metadata = new V1ObjectMeta { Name = "n1", Uid = "node-uid" } };
        var token = Token(bound: pod, podNode: node);

        var user = (await AuthenticateAsync(token)).User!;
        Assert.Equal(["p"], user.Extra![ServiceAccountUser.PodNameKey]);
        Assert.Equal(["pod-uid"], user.Extra[ServiceAccountUser.PodUidKey]);
        Assert.Equal(["n1"], user.Extra[ServiceAccountUser.NodeNameKey]);
        Assert.Equal(["node-uid"], user.Extra[ServiceAccountUser.NodeUidKey]);

        _objects.Add(new V1Pod { Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "ns", Uid = "pod-uid-2" } });
        Assert.Equal("pod UID (pod-uid-2) does not match service account pod ref claim (pod-uid)", (await AuthenticateAsync(token)).Error);
        _objects.Remove<V1Pod>("ns", "p");
        Assert.Equal("service account token has been invalidated", (await AuthenticateAsync(token)).Error);
    }

    [Fact]
    public async Task Authenticate_SecretOrNodeBoundToken_FailsOnceTheObjectIsDeleted()
    {
        var secret = _objects.Add(new V1Secret { Metadata = new V1ObjectMeta { Name = "s", NamespaceProperty = "ns", Uid = "secret-uid" } });
        var node = _objects.Add(new V1Node { Metadata = new V1ObjectMeta { Name = "n1", Uid = "node-uid" } });
        var secretToken = Token(bound: secret);
        var nodeToken = Token(bound: node);
        Assert.NotNull((await AuthenticateAsync(secretToken)).User);
        Assert.Equal(["n1"], (await AuthenticateAsync(nodeToken)).User!.Extra![ServiceAccountUser.NodeNameKey]);

        _objects.Remove<V1Secret>("ns", "s");
        _objects.Remove<V1Node>(null, "n1");

        Assert.Equal("service account token has been invalidated", (await AuthenticateAsync(secretToken)).Error);
        Assert.Equal("service account token has been invalidated", (await AuthenticateAsync(nodeToken)).Error);
    }

    [Fact]
    public async Task Authenticate_DeletedServiceAccount_Fails()
    {
        var token = Token();
        _objects.Remove<V1ServiceAccount>("ns", "robot");

        Assert.Equal("serviceaccounts \"robot\" not found", (await AuthenticateAsync(token)).Error);
    }

    [Fact]
    public async Task Authenticate_RecreatedServiceAccount_FailsOnTheNewUid()
    {
        var token = Token();
        _objects.Add(Account("sa-uid-2"));

        Assert.Equal("service account UID (sa-uid-2) does not match claim (sa-uid-1)", (await AuthenticateAsync(token)).Error);
    }

    [Fact]
    public async Task Authenticate_ServiceAccountBeingDeleted_FailsAfterTheLeeway()
    {
        var token = Token();
        var deleting = _objects.Add(Account("sa-uid-1"));
        deleting.Metadata.DeletionTimestamp = Start.UtcDateTime;

        Assert.NotNull((await AuthenticateAsync(token)).User);
        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal("service account ns/robot has been deleted", (await AuthenticateAsync(token)).Error);
    }

    [Fact]
    public async Task Authenticate_WrongAudience_Fails_NoAudienceMeansTheApis()
    {
        Assert.Equal(
            "token audiences [\"vault\"] is invalid for the target audiences [\"https://kubernetes.default.svc.cluster.local\"]",
            (await AuthenticateAsync(Token(audiences: ["vault"]))).Error);
        Assert.NotNull((await AuthenticateAsync(Token(audiences: ["vault", Issuer]))).User);
        Assert.NotNull((await AuthenticateAsync(Token(audiences: []))).User);
    }

    [Fact]
    public async Task Authenticate_Expired_FailsOnlyAfterTheOneMinuteLeeway()
    {
        var token = Token();

        _time.Advance(TimeSpan.FromSeconds(3600 + 60));
        Assert.NotNull((await AuthenticateAsync(token)).User);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("service account token has expired", (await AuthenticateAsync(token)).Error);
    }

    [Fact]
    public async Task Authenticate_NotYetValid_FailsBeyondTheLeeway()
    {
        Assert.Equal("service account token is not valid yet", (await AuthenticateAsync(Token(issuedAt: Start.AddSeconds(61)))).Error);
        Assert.NotNull((await AuthenticateAsync(Token(issuedAt: Start.AddSeconds(60)))).User);
    }

    [Fact]
    public async Task Authenticate_NoExpiry_Fails()
    {
        var claims = Claims() with { Expiry = null };

        Assert.Equal("service account token has expired", (await AuthenticateAsync(Forge(Header(), claims.ToJson()))).Error);
    }

    [Fact]
    public async Task Authenticate_SignedByAnotherKey_Fails()
    {
        using var other = ServiceAccountKey.Ephemeral();
        var forged = new ServiceAccountTokenIssuer(other, Issuer, [Issuer]).Issue(Claims());

        Assert.NotNull((await AuthenticateAsync(forged)).Error);
    }

    [Fact]
    public async Task Authenticate_RsaKey_IssuesAndAcceptsRs256_RefusesEs256()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        using var key = ServiceAccountKey.FromPem(rsa.ExportPkcs8PrivateKeyPem());
        var issuer = new ServiceAccountTokenIssuer(key, Issuer, [Issuer]);
        var authenticator = new ServiceAccountTokenAuthenticator(issuer, _objects, _time);
        var token = issuer.Issue(Claims());

        Assert.StartsWith("{\"alg\":\"RS256\"", Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.Split('.')[0])), StringComparison.Ordinal);
        Assert.NotNull((await authenticator.AuthenticateAsync(token, CancellationToken.None)).User);
        Assert.Equal("unexpected signature algorithm \"ES256\"; expected \"RS256\"", (await authenticator.AuthenticateAsync(Token(), CancellationToken.None)).Error);
    }

    [Fact]
    public async Task Authenticate_TamperedPayload_FailsItsSignature()
    {
        var parts = Token().Split('.');
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace("robot", "admin", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";

        Assert.Equal("invalid signature", (await AuthenticateAsync(tampered)).Error);
    }

    [Theory]
    [InlineData("""{"alg":"none"}""")]
    [InlineData("""{"alg":"HS256"}""")]
    [InlineData("""{"alg":"RS256"}""")]
    [InlineData("""{"alg":"ES384"}""")]
    [InlineData("""{"typ":"JWT"}""")]
    [InlineData("""{"alg":"ES256","crit":["exp"]}""")]
    [InlineData("""{"alg":"ES256","kid":"someone-else"}""")]
    [InlineData("""["ES256"]""")]
    public async Task Authenticate_HeaderOtherThanTheKeysAlgorithm_Fails(string header)
    {
        var token = Forge(Encoding.UTF8.GetBytes(header), Claims().ToJson());

        Assert.NotNull((await AuthenticateAsync(token)).Error);
    }

    [Fact]
    public async Task Authenticate_AlgNoneWithoutSignature_Fails()
    {
        var token = $"{Base64Url.EncodeToString("""{"alg":"none"}"""u8)}.{Base64Url.EncodeToString(Claims().ToJson())}.";

        Assert.NotNull((await AuthenticateAsync(token)).Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("{\"iss\":\"https://kubernetes.default.svc.cluster.local\"}")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.bm90IGpzb24.c2ln")]
    public async Task Authenticate_NotAJwtOfThisIssuer_IsNotMine(string token)
    {
        Assert.Equal(AuthenticationResult.NotMine, await AuthenticateAsync(token));
    }

    [Fact]
    public async Task Authenticate_OtherIssuer_IsNotMine()
    {
        var theirs = new ServiceAccountTokenIssuer(_key, "https://elsewhere", ["https://elsewhere"]).Issue(Claims());

        Assert.Equal(AuthenticationResult.NotMine, await AuthenticateAsync(theirs));
    }

    [Theory]
    [InlineData("payload.!!")]
    [InlineData("payload.c2ln=")]
    public async Task Authenticate_MalformedSignatureSegment_Fails(string tail)
    {
        var parts = Token().Split('.');
        var token = $"{parts[0]}.{parts[1]}.{tail.Split('.')[1]}";

        Assert.NotNull((await AuthenticateAsync(token)).Error);
    }

    private static V1ServiceAccount Account(string uid) =>
        new() { Metadata = new V1ObjectMeta { Name = "robot", NamespaceProperty = "ns", Uid = uid } };

    private ServiceAccountClaims Claims(k8s.IKubernetesObject<V1ObjectMeta>? bound = null, V1Node? podNode = null, IReadOnlyList<string>? audiences = null, DateTimeOffset? issuedAt = null) =>
        ServiceAccountClaims.For(_account, bound, podNode, 3600, 0, audiences ?? [Issuer], issuedAt ?? Start, "jti-1") with { Issuer = Issuer };

    private string Token(k8s.IKubernetesObject<V1ObjectMeta>? bound = null, V1Node? podNode = null, IReadOnlyList<string>? audiences = null, DateTimeOffset? issuedAt = null) =>
        _issuer.Issue(Claims(bound, podNode, audiences, issuedAt));

    private byte[] Header() => Encoding.UTF8.GetBytes($$"""{"alg":"ES256","kid":"{{_key.KeyId}}"}""");

    private string Forge(byte[] header, byte[] payload) => CompactJws.Sign(_key, header, payload);

    private ValueTask<AuthenticationResult> AuthenticateAsync(string token) => _authenticator.AuthenticateAsync(token, CancellationToken.None);
}
