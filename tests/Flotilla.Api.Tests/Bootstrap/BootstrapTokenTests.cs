using System.Text;
using Flotilla.Api.Bootstrap;

namespace Flotilla.Api.Tests.Bootstrap;

public sealed class BootstrapTokenTests
{
    [Fact]
    public void Generate_MakesTokensOfTheBootstrapForm()
    {
        var (id, secret) = BootstrapToken.Generate();

        Assert.True(BootstrapToken.TryParse($"{id}.{secret}", out var parsedId, out var parsedSecret));
        Assert.Equal((id, secret), (parsedId, parsedSecret));
        Assert.NotEqual(BootstrapToken.Generate(), BootstrapToken.Generate());
    }

    [Theory]
    [InlineData("abcdef.0123456789abcdef", true)]
    [InlineData("abcdef.0123456789abcde", false)]
    [InlineData("Abcdef.0123456789abcdef", false)]
    [InlineData("abcdef:0123456789abcdef", false)]
    [InlineData("abcdef.0123456789abcdef\n", false)]
    [InlineData("", false)]
    public void TryParse_OnlyTheUpstreamPattern(string token, bool valid) =>
        Assert.Equal(valid, BootstrapToken.TryParse(token, out _, out _));

    [Theory]
    [InlineData("system:bootstrappers:flotilla:default-node-token", true)]
    [InlineData("system:bootstrappers:a", true)]
    [InlineData("system:bootstrappers:", false)]
    [InlineData("system:bootstrappers:a-", false)]
    [InlineData("system:bootstrappers:A", false)]
    [InlineData("system:masters", false)]
    public void IsValidGroup_UpstreamPattern(string group, bool valid) =>
        Assert.Equal(valid, BootstrapToken.IsValidGroup(group));

    [Fact]
    public void ToSecret_HasKubeadmsLayout()
    {
        var secret = BootstrapToken.ToSecret("abcdef", "0123456789abcdef", new DateTimeOffset(2026, 12, 2, 3, 4, 5, TimeSpan.FromHours(1)), "for n1", ["system:bootstrappers:x"]);

        Assert.Equal(("kube-system", "bootstrap-token-abcdef", "bootstrap.kubernetes.io/token"), (secret.Metadata.NamespaceProperty, secret.Metadata.Name, secret.Type));
        var data = secret.Data.ToDictionary(e => e.Key, e => Encoding.UTF8.GetString(e.Value));
        Assert.Equal(new Dictionary<string, string>
        {
            ["token-id"] = "abcdef",
            ["token-secret"] = "0123456789abcdef",
            ["expiration"] = "2026-12-02T02:04:05Z",
            ["description"] = "for n1",
            ["usage-bootstrap-authentication"] = "true",
            ["usage-bootstrap-signing"] = "true",
            ["auth-extra-groups"] = "system:bootstrappers:x",
        }, data);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("2026-12-01T12:00:01Z", false)]
    [InlineData("2026-12-01T12:00:00Z", true)]
    [InlineData("2026-12-01T13:00:01+01:00", false)]
    [InlineData("2026-12-01T12:00:00.5Z", false)]
    [InlineData("2026-12-01T12:00:01", true)]  // no zone: not RFC 3339, so treated as expired
    [InlineData("soon", true)]
    public void HasExpired_AsUpstream(string? expiration, bool expired) =>
        Assert.Equal(expired, BootstrapToken.HasExpired(expiration, new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero)));
}
