namespace Flotilla.ApiServer.Auth.Tokens;

/// <summary>
/// The token authenticators in order (upstream's token union: static file, service accounts, bootstrap): the first
/// that accepts the token wins; when none does, their errors together, or not-mine when none had one.
/// </summary>
public sealed class TokenAuthenticatorUnion(IReadOnlyList<ITokenAuthenticator> authenticators) : ITokenAuthenticator
{
    public async ValueTask<AuthenticationResult> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        List<string>? errors = null;
        foreach (var authenticator in authenticators)
        {
            var result = await authenticator.AuthenticateAsync(token, cancellationToken);
            if (result.User is not null)
            {
                return result;
            }

            if (result.Error is not null)
            {
                (errors ??= []).Add(result.Error);
            }
        }

        return errors is null ? AuthenticationResult.NotMine
            : AuthenticationResult.Failure(errors.Count == 1 ? errors[0] : $"[{string.Join(", ", errors)}]");
    }
}
