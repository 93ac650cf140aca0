using System.Text;
using Flotilla.Api.Bootstrap;
using Flotilla.ApiServer.Auth.Tokens;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.ApiServer.Tests.Auth.Tokens;

public sealed class BootstrapTokenAuthenticatorTests
{
    private const string Id = "abcdef";
    private const string Secret = "0123456789abcdef";
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeObjectReader _objects = new();
    private readonly FakeTimeProvider _time = new(Now);
    private readonly BootstrapTokenAuthenticator _authenticator;

    public BootstrapTokenAuthenticatorTests() => _authenticator = new BootstrapTokenAuthenticator(_objects, _time);

    [Fact]
    public async Task Authenticate_ValidToken_IsTheBootstrapUserInItsGroups()
    {
        _objects.Add(BootstrapToken.ToSecret(Id, Secret, Now.AddHours(1), "join", [BootstrapToken.NodeTokenGroup]));

        var user = (await AuthenticateAsync($"{Id}.{Secret}")).User!;

        Assert.Equal("system:bootstrap:abcdef", user.Name);
        Assert.Equal(["system:bootstrappers", "system:bootstrappers:flotilla:default-node-token"], user.Groups);
    }

    [Fact]
    public async Task Authenticate_Expired_IsRefused()
    {
        _objects.Add(BootstrapToken.ToSecret(Id, Secret, Now.AddMinutes(1), string.Empty, []));
        Assert.NotNull((await AuthenticateAsync($"{Id}.{Secret}")).User);

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(AuthenticationResult.NotMine, await AuthenticateAsync($"{Id}.{Secret}"));
    }

    [Fact]
    public async Task Authenticate_WithoutExpiration_NeverExpires()
    {
        _objects.Add(BootstrapToken.ToSecret(Id, Secret, null, string.Empty, []));
        _time.Advance(TimeSpan.FromDays(3650));

        Assert.Equal(["system:bootstrappers"], (await AuthenticateAsync($"{Id}.{Secret}")).User!.Groups);
    }

    [Theory]
    [InlineData("abcdef.0123456789abcdee")]  // wrong secret
    [InlineData("abcdeg.0123456789abcdef")]  // no such secret
    [InlineData("ABCDEF.0123456789ABCDEF")]  // not of the form
    [InlineData("abcdef.0123456789abcdef0")]
    [InlineData("abcdef0123456789abcdef")]
    public async Task Authenticate_WrongOrMalformedToken_IsRefused(string token)
    {
        _objects.Add(BootstrapToken.ToSecret(Id, Secret, null, string.Empty, []));

        Assert.Equal(AuthenticationResult.NotMine, await AuthenticateAsync(token));
    }

    public static TheoryData<string, string?> BrokenSecrets => new()
    {
        { BootstrapToken.UsageAuthenticationKey, "false" },
        { BootstrapToken.UsageAuthenticationKey, null },
        { BootstrapToken.IdKey, "zzzzzz" },
        { BootstrapToken.ExpirationKey, "tomorrow" },
        { BootstrapToken.ExpirationKey, "2026-12-01T11:59:59Z" },
        { BootstrapToken.ExpirationKey, "2026-12-01T13:59:59+02:00" },
        { BootstrapToken.ExtraGroupsKey, "system:masters" },
        { BootstrapToken.ExtraGroupsKey, "system:bootstrappers:ok,system:bootstrappers:Bad" },
    };

    [Theory]
    [MemberData(nameof(BrokenSecrets))]
    public async Task Authenticate_SecretNotUsableForAuthentication_IsRefused(string key, string? value)
    {
        var secret = _objects.Add(BootstrapToken.ToSecret(Id, Secret, null, string.Empty, []));
        if (value is null)
        {
            secret.Data.Remove(key);
        }
        else
        {
            secret.Data[key] = Encoding.UTF8.GetBytes(value);
        }

        Assert.Equal(AuthenticationResult.NotMine, await AuthenticateAsync($"{Id}.{Secret}"));
    }

    [Fact]
    public async Task Authenticate_WrongTypeOrBeingDeleted_IsRefused()
    {
        var secret = _objects.Add(BootstrapToken.ToSecret(Id, Secret, null, string.Empty, []));
        secret.Type = "Opaque";
        Assert.Equal(AuthenticationResult.NotMine, await AuthenticateAsync($"{Id}.{Secret}"));

        secret.Type = BootstrapToken.SecretType;
        secret.Metadata.DeletionTimestamp = Now.UtcDateTime;
        Assert.Equal(AuthenticationResult.NotMine, await AuthenticateAsync($"{Id}.{Secret}"));
    }

    [Fact]
    public async Task Authenticate_ExpirationWithOffset_IsReadAsRfc3339()
    {
        var secret = _objects.Add(BootstrapToken.ToSecret(Id, Secret, null, string.Empty, []));
        secret.Data[BootstrapToken.ExpirationKey] = "2026-12-01T14:00:01.5+02:00"u8.ToArray();

        Assert.NotNull((await AuthenticateAsync($"{Id}.{Secret}")).User);
    }

    private ValueTask<AuthenticationResult> AuthenticateAsync(string token) => _authenticator.AuthenticateAsync(token, CancellationToken.None);
}
