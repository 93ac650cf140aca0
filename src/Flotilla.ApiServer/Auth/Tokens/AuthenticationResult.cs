namespace Flotilla.ApiServer.Auth.Tokens;

/// <summary>
/// What one authenticator made of a credential (upstream's <c>(response, ok, err)</c>): a user, an error, or
/// neither when the credential is not of its kind and the next authenticator should try.
/// </summary>
public readonly record struct AuthenticationResult(UserInfo? User, string? Error)
{
    public static AuthenticationResult NotMine => default;

    public static AuthenticationResult Success(UserInfo user) => new(user, null);

    public static AuthenticationResult Failure(string error) => new(null, error);
}
