using System.Text;
using Flotilla.ApiServer.Auth.ServiceAccounts;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Auth.ServiceAccounts;

public sealed class ServiceAccountClaimsTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    [Fact]
    public void ToJson_PodBoundToken_HasUpstreamsClaimsWithSortedKeys()
    {
        var sa = new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "default", NamespaceProperty = "ns", Uid = "sa-uid" } };
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "ns", Uid = "pod-uid" } };
        var node = new V1Node { Metadata = new V1ObjectMeta { Name = "n1" } };

        var claims = ServiceAccountClaims.For(sa, pod, node, 3600, 0, ["api"], Now, "8d6c2f3a-0000-4000-8000-000000000001") with { Issuer = "https://kubernetes.default.svc.cluster.local" };

        Assert.Equal(
            """
            {"aud":["api"],"exp":1700003600,"iat":1700000000,"iss":"https://kubernetes.default.svc.cluster.local","jti":"8d6c2f3a-0000-4000-8000-000000000001","kubernetes.io":{"namespace":"ns","node":{"name":"n1"},"pod":{"name":"p","uid":"pod-uid"},"serviceaccount":{"name":"default","uid":"sa-uid"}},"nbf":1700000000,"sub":"system:serviceaccount:ns:default"}
            """,
            Encoding.UTF8.GetString(claims.ToJson()));
    }

    [Fact]
    public void For_ExtendedToken_CarriesWarnAfter()
    {
        var sa = new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "default", NamespaceProperty = "ns", Uid = "u" } };

        var claims = ServiceAccountClaims.For(sa, null, null, 3600, 3607, ["api"], Now, "id");

        Assert.Equal(1_700_003_607, claims.WarnAfter);
        Assert.Equal(claims with { Audiences = claims.Audiences }, ServiceAccountClaims.Parse(claims.ToJson()) with { Audiences = claims.Audiences });
    }

    [Theory]
    [InlineData("""{"aud":"api","exp":1.5e9}""", "api")]
    [InlineData("""{"aud":["a","b"]}""", "a,b")]
    [InlineData("""{}""", "")]
    public void Parse_AudienceAsStringOrList(string json, string expected)
    {
        Assert.Equal(expected, string.Join(',', ServiceAccountClaims.Parse(Encoding.UTF8.GetBytes(json)).Audiences));
    }

    [Theory]
    [InlineData("""[]""")]
    [InlineData("""{"exp":"tomorrow"}""")]
    [InlineData("""{"aud":[1]}""")]
    [InlineData("""{"kubernetes.io":"x"}""")]
    [InlineData("""{"kubernetes.io":{"serviceaccount":{"name":7}}}""")]
    [InlineData("""{"sub":"a"} trailing""")]
    public void Parse_ClaimsOfTheWrongType_AreRefused(string json)
    {
        Assert.Throws<JwsException>(() => ServiceAccountClaims.Parse(Encoding.UTF8.GetBytes(json)));
    }
}
