using Flotilla.ApiServer.Auth;
using Flotilla.ApiServer.Auth.Tokens;

namespace Flotilla.ApiServer.Tests.Auth.Tokens;

public sealed class TokenAuthenticatorUnionTests
{
    private static readonly UserInfo Alice = new("alice", []);

    [Fact]
    public async Task Authenticate_FirstToAcceptWins_EvenAfterAnError()
    {
        var union = new TokenAuthenticatorUnion([Fixed(AuthenticationResult.Failure("bad")), Fixed(AuthenticationResult.NotMine), Fixed(AuthenticationResult.Success(Alice))]);

        Assert.Same(Alice, (await union.AuthenticateAsync("t", CancellationToken.None)).User);
    }

    [Fact]
    public async Task Authenticate_NoneAccepts_ErrorsTogether_OrNotMine()
    {
        var failing = new TokenAuthenticatorUnion([Fixed(AuthenticationResult.Failure("a")), Fixed(AuthenticationResult.NotMine), Fixed(AuthenticationResult.Failure("b"))]);
        var ignoring = new TokenAuthenticatorUnion([Fixed(AuthenticationResult.NotMine)]);

        Assert.Equal("[a, b]", (await failing.AuthenticateAsync("t", CancellationToken.None)).Error);
        Assert.Equal(AuthenticationResult.NotMine, await ignoring.AuthenticateAsync("t", CancellationToken.None));
    }

    private static Fake Fixed(AuthenticationResult result) => new(result);

    private sealed class Fake(AuthenticationResult result) : ITokenAuthenticator
    {
        public ValueTask<AuthenticationResult> AuthenticateAsync(string token, CancellationToken cancellationToken) => ValueTask.FromResult(result);
    }
}
