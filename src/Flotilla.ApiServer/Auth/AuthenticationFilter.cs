using Flotilla.Api.Errors;
using Flotilla.ApiServer.Http;
using Microsoft.AspNetCore.Http;

namespace Flotilla.ApiServer.Auth;

/// <summary>
/// Every request is authenticated by its client certificate; anonymous requests get 401 except the health and
/// version endpoints (upstream's anonymous defaults for them), as do certificates the cluster CA did not sign.
/// <paramref name="failed"/>, when given, wraps the 401 answer (the audit log's failed-authentication record).
/// </summary>
public sealed class AuthenticationFilter(ClientCertificateAuthenticator certificates, Func<HttpContext, Func<Task>, Task>? failed = null)
{
    public const string UserItem = "flotilla.user";

    private static readonly HashSet<string> Public = ["/healthz", "/livez", "/readyz", "/version"];

    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var certificate = await context.Connection.GetClientCertificateAsync(context.RequestAborted);
        if (certificate is not null)
        {
            var (user, _) = certificates.Authenticate(certificate);
            if (user is null)
            {
                await Unauthorized(context);
                return;
            }

            context.Items[UserItem] = user;
        }
        else if (!Public.Contains(context.Request.Path.Value ?? string.Empty))
        {
            await Unauthorized(context);
            return;
        }

        await next();
    }

    private Task Unauthorized(HttpContext context) => failed is null ? WriteUnauthorized(context) : failed(context, () => WriteUnauthorized(context));

    private static Task WriteUnauthorized(HttpContext context) =>
        ApiResponse.WriteStatusAsync(context, new StatusException(401, "Unauthorized", "Unauthorized"));
}
