using System.Text;
using Flotilla.Kubelet.Pods;
using Flotilla.Kubelet.Runtime;
using k8s.Models;

namespace Flotilla.Kubelet.Tests.Pods;

public sealed class RegistryCredentialsTests
{
    private static V1Secret DockerConfigJson(string json) => new()
    {
        Type = RegistryCredentials.DockerConfigJson,
        Data = new Dictionary<string, byte[]> { [".dockerconfigjson"] = Encoding.UTF8.GetBytes(json) },
    };

    private static string Auth(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    [Theory]
    [InlineData("busybox", "docker.io", "library/busybox")]
    [InlineData("busybox:1.35", "docker.io", "library/busybox")]
    [InlineData("me/app:v1", "docker.io", "me/app")]
    [InlineData("registry.example.com/team/app:v1", "registry.example.com", "team/app")]
    [InlineData("127.0.0.1:5000/private/busybox:1.35", "127.0.0.1:5000", "private/busybox")]
    [InlineData("localhost/app@sha256:abcd", "localhost", "app")]
    public void AnImage_IsSplitIntoRegistryAndRepository(string image, string registry, string repository) =>
        Assert.Equal((registry, repository), RegistryCredentials.Split(image));

    [Fact]
    public void TheLoginsThatMatch_AreFound_MostSpecificFirst()
    {
        var secret = DockerConfigJson($$$"""
            {"auths": {
              "registry.example.com": {"auth": "{{{Auth("broad", "p1")}}}"},
              "https://registry.example.com/team": {"username": "team", "password": "p2"},
              "*.example.com": {"username": "glob", "password": "p3"},
              "registry.example.com:5000": {"username": "port", "password": "p4"},
              "https://index.docker.io/v1/": {"username": "hub", "password": "p5"}
            }}
            """);
        Assert.Equal(["team", "broad", "glob"], RegistryCredentials.For("registry.example.com/team/app:v1", [secret]).Select(a => a.Username));
        Assert.Equal(["broad", "glob"], RegistryCredentials.For("registry.example.com/other/app", [secret]).Select(a => a.Username));
        Assert.Equal(["port"], RegistryCredentials.For("registry.example.com:5000/app", [secret]).Select(a => a.Username));
        Assert.Equal(["hub"], RegistryCredentials.For("busybox:1.35", [secret]).Select(a => a.Username));
        Assert.Empty(RegistryCredentials.For("quay.io/app", [secret]));
        Assert.Equal(new RegistryAuth("broad", "p1"), RegistryCredentials.For("registry.example.com/x", [secret])[0]);
    }

    [Fact]
    public void TheOldFormat_AndSecretsOfOtherKinds_AreRead_OrLeftAlone()
    {
        var dockercfg = new V1Secret
        {
            Type = RegistryCredentials.DockerCfg,
            Data = new Dictionary<string, byte[]> { [".dockercfg"] = Encoding.UTF8.GetBytes($$$"""{"127.0.0.1:5000": {"auth": "{{{Auth("old", "pw")}}}"}}""") },
        };
        var opaque = new V1Secret { Type = "Opaque", Data = new Dictionary<string, byte[]> { [".dockerconfigjson"] = Encoding.UTF8.GetBytes("""{"auths": {"127.0.0.1:5000": {"username": "x"}}}""") } };
        var broken = DockerConfigJson("{not json");
        Assert.Equal([("old", "pw")], RegistryCredentials.For("127.0.0.1:5000/app", [dockercfg, opaque, broken]).Select(a => (a.Username, a.Password)));
    }
}
