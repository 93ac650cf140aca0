namespace Flotilla.ApiServer.Auth.Tokens;

/// <summary>Authenticates a bearer token (upstream's authenticator.Token).</summary>
public interface ITokenAuthenticator
{
    ValueTask<AuthenticationResult> AuthenticateAsync(string token, CancellationToken cancellationToken);
}
