using Flotilla.Api.Errors;
using Flotilla.ApiServer.Auth.ServiceAccounts;
using Flotilla.ApiServer.Auth.Tokens;
using Flotilla.ApiServer.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Flotilla.ApiServer.Auth;

/// <summary>
/// Authenticates every request as kube-apiserver's union of request authenticators: the client certificate first,
/// then an <c>Authorization: Bearer</c> token tried against the token authenticators (static file, service accounts,
/// bootstrap). The first to accept the request wins; every user gets <c>system:authenticated</c>. A credential that
/// no authenticator accepts is a 401, even on a public path; a request with no credential is anonymous, which only
/// the health and version endpoints allow (upstream's anonymous defaults for them). <paramref name="failed"/>, when
/// given, wraps the 401 answer (the audit log's failed-authentication record).
/// </summary>
public sealed partial class AuthenticationFilter(ClientCertificateAuthenticator certificates, ITokenAuthenticator tokens, ILogger<AuthenticationFilter> log, Func<HttpContext, Func<Task>, Task>? failed = null, bool anonymous = true)
{
    public const string UserItem = "flotilla.user";
    public const string AuthenticatedGroup = "system:authenticated";

    private static readonly HashSet<string> Public = ["/healthz", "/livez", "/readyz", "/version"];

    /// <summary>The filter of a server with <paramref name="tls"/>: the cluster CA's certificates and the configured tokens.</summary>
    public static AuthenticationFilter Create(ApiServerTls tls, IServiceProvider services, Func<HttpContext, Func<Task>, Task>? failed = null, bool anonymous = true)
    {
        ArgumentNullException.ThrowIfNull(tls);
        ArgumentNullException.ThrowIfNull(services);
        return new AuthenticationFilter(
            new ClientCertificateAuthenticator(tls.ClientCa, services.GetRequiredService<TimeProvider>()),
            services.GetRequiredService<ITokenAuthenticator>(),
            services.GetRequiredService<ILogger<AuthenticationFilter>>(),
            failed,
            anonymous);
    }

    /// <summary>
    /// The bearer-token authenticators in upstream's order (static file, service accounts, bootstrap): one chain for
    /// requests and for TokenReviews.
    /// </summary>
    public static ITokenAuthenticator Tokens(AuthenticationOptions options, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        var time = services.GetRequiredService<TimeProvider>();
        var objects = services.GetRequiredService<IObjectReader>();
        var chain = new List<ITokenAuthenticator>();
        if (options.TokenFile is { } file)
        {
            chain.Add(file);
        }

        chain.Add(new ServiceAccountTokenAuthenticator(services.GetRequiredService<ServiceAccountTokenIssuer>(), objects, time));
        chain.Add(new BootstrapTokenAuthenticator(objects, time));
        return new TokenAuthenticatorUnion(chain);
    }

    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var (user, error) = await AuthenticateAsync(context);
        if (user is not null)
        {
            context.Items[UserItem] = user.Groups.Contains(AuthenticatedGroup) ? user : user with { Groups = [.. user.Groups, AuthenticatedGroup] };
        }
        else if (error is not null || !anonymous || !Public.Contains(context.Request.Path.Value ?? string.Empty))
        {
            if (error is not null)
            {
                LogRefused(log, context.Request.Method, context.Request.Path, error);
            }

            await Unauthorized(context);
            return;
        }

        await next();
    }

    /// <summary>The token of an <c>Authorization: Bearer</c> header (upstream's bearertoken: the second word), or null.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parts = request.Headers.Authorization.ToString().Trim().Split(' ', 3);
        return parts.Length >= 2 && parts[0].Equals("bearer", StringComparison.OrdinalIgnoreCase) && parts[1].Length > 0 ? parts[1] : null;
    }

    private async Task<(UserInfo? User, string? Error)> AuthenticateAsync(HttpContext context)
    {
        var errors = new List<string>();
        var certificate = await context.Connection.GetClientCertificateAsync(context.RequestAborted);
        if (certificate is not null)
        {
            var (user, error) = certificates.Authenticate(certificate);
            if (user is not null)
            {
                return (user, null);
            }

            errors.Add(error ?? "invalid client certificate");
        }

        if (BearerToken(context.Request) is { } token)
        {
            var result = await tokens.AuthenticateAsync(token, context.RequestAborted);
            if (result.User is not null)
            {
                // As upstream: an accepted token goes no further inside the server.
                context.Request.Headers.Authorization = default;
                return (result.User, null);
            }

            errors.Add(result.Error ?? "invalid bearer token");
        }

        return (null, errors.Count == 0 ? null : string.Join("; ", errors));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "unable to authenticate the request {Method} {Path}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string path, string reason);

    private Task Unauthorized(HttpContext context) => failed is null ? WriteUnauthorized(context) : failed(context, () => WriteUnauthorized(context));

    private static Task WriteUnauthorized(HttpContext context) =>
        ApiResponse.WriteStatusAsync(context, new StatusException(401, "Unauthorized", "Unauthorized"));
}
