using Flotilla.ApiServer.Auth;
using Flotilla.ApiServer.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.Features;

namespace Flotilla.ApiServer.Audit;

/// <summary>
/// kube-apiserver's audit filter. It runs after authentication (it sees the authenticated user, before any
/// impersonation) and before authorization (so 403s are logged with the decision): the policy sets the level, and the
/// event is written at RequestReceived, at ResponseStarted for long-running requests (watch, logs, exec), then at
/// ResponseComplete with the final code — or at Panic when handling throws. Requests that fail authentication are
/// logged through <see cref="FailedAuthenticationAsync"/>, once, at ResponseStarted with their 401.
/// </summary>
public sealed class AuditFilter(AuditPolicyChecker policy, AuditLog log, TimeProvider time)
{
    private const int MaxUserAgentLength = 1024;
    private static readonly UserInfo Unauthenticated = new(string.Empty, []);

    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var user = context.Items[AuthenticationFilter.UserItem] as UserInfo;
        var attributes = AuthorizationFilter.Describe(context, user ?? Unauthenticated);
        var config = policy.Evaluate(attributes);
        if (config.Level == AuditLevel.None)
        {
            await next();
            return;
        }

        var audit = Begin(context, attributes, user, config);
        await EmitAsync(audit, AuditStage.RequestReceived);
        var longRunning = Http.RequestInfo.IsLongRunning(attributes.Verb, attributes.IsResourceRequest ? attributes.Subresource : null);
        if (longRunning)
        {
            context.Response.OnStarting(() => StartedAsync(context, audit).AsTask());
        }

        var capture = config.Level == AuditLevel.RequestResponse && attributes.IsResourceRequest && !longRunning ? ResponseCapture.Install(context.Response) : null;
        var panicked = false;
        try
        {
            await next();
        }
        catch (Exception e) when (!(e is OperationCanceledException && context.RequestAborted.IsCancellationRequested))
        {
            panicked = true;
            audit.Event!.ResponseStatus = new AuditResponseStatus(StatusCodes.Status500InternalServerError, "Failure", $"APIServer panic'd: {e.Message}", "InternalError");
            audit.Completed = true;
            await EmitAsync(audit, AuditStage.Panic);
            throw;
        }
        finally
        {
            capture?.Restore(context.Response);
            if (!panicked)
            {
                await CompleteAsync(context, audit, longRunning, capture);
            }

            capture?.Dispose();
        }
    }

    /// <summary>
    /// Logs a request that failed authentication (upstream's failed-authentication audit): the user is unknown, so
    /// only rules that name no users or groups can match it.
    /// </summary>
    public async Task FailedAuthenticationAsync(HttpContext context, Func<Task> unauthorized)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(unauthorized);
        var attributes = AuthorizationFilter.Describe(context, Unauthenticated);
        var config = policy.Evaluate(attributes);
        if (config.Level == AuditLevel.None)
        {
            await unauthorized();
            return;
        }

        var audit = Begin(context, attributes, null, config);
        await unauthorized();
        SetCode(audit.Event!, context.Response.StatusCode);
        audit.Completed = true;
        await EmitAsync(audit, AuditStage.ResponseStarted);
    }

    private AuditContext Begin(HttpContext context, Attributes attributes, UserInfo? user, RequestAuditConfig config)
    {
        var audit = AuditContext.Of(context) ?? AuditContext.Init(context, time);
        var userAgent = context.Request.Headers.UserAgent.ToString();
        var ev = new AuditEvent
        {
            Level = config.Level,
            AuditId = audit.Id,
            RequestUri = RequestUri(context),
            Verb = attributes.Verb,
            User = user,
            SourceIps = SourceIps.Of(context),
            UserAgent = userAgent.Length > MaxUserAgentLength ? userAgent[..MaxUserAgentLength] + "...TRUNCATED" : userAgent,
            ObjectRef = attributes.IsResourceRequest
                ? new AuditObjectReference
                {
                    Resource = attributes.Resource,
                    Namespace = attributes.Namespace,
                    Name = attributes.Name,
                    ApiGroup = attributes.ApiGroup,
                    ApiVersion = ApiVersion(attributes.Path, attributes.ApiGroup),
                    Subresource = attributes.Subresource,
                }
                : null,
            RequestReceivedTimestamp = audit.ReceivedAt,
        };
        audit.Begin(ev, config);
        return audit;
    }

    private ValueTask StartedAsync(HttpContext context, AuditContext audit)
    {
        if (audit.Completed || audit.ResponseStarted)
        {
            return ValueTask.CompletedTask;
        }

        audit.ResponseStarted = true;
        SetCode(audit.Event!, context.Response.StatusCode);
        return EmitAsync(audit, AuditStage.ResponseStarted);
    }

    private async ValueTask CompleteAsync(HttpContext context, AuditContext audit, bool longRunning, ResponseCapture? capture)
    {
        // A long-running request that wrote nothing has not started its response: that stage is logged first.
        if (longRunning)
        {
            await StartedAsync(context, audit);
        }

        var ev = audit.Event!;
        audit.Completed = true;
        SetCode(ev, context.Response.StatusCode);
        if (context.Items[Handlers.RequestAdmission.AuditAnnotationsItem] is IDictionary<string, string> admission)
        {
            foreach (var (key, value) in admission)
            {
                ev.Annotate(key, value);  // what admission plugins noted (PodSecurity's audit-violations)
            }
        }

        if (capture is not null && MediaTypes.Essence(context.Response.ContentType) == MediaTypes.Json)
        {
            ev.ResponseObject = capture.Captured;
        }

        await EmitAsync(audit, AuditStage.ResponseComplete);
    }

    private ValueTask EmitAsync(AuditContext audit, AuditStage stage)
    {
        var ev = audit.Event!;
        if (audit.Config.OmitStages.Contains(stage))
        {
            return ValueTask.CompletedTask;
        }

        ev.Stage = stage;
        ev.StageTimestamp = stage == AuditStage.RequestReceived ? ev.RequestReceivedTimestamp : time.GetUtcNow();
        return log.PostAsync(AuditEventWriter.Serialize(ev, audit.Config.OmitManagedFields));
    }

    private static void SetCode(AuditEvent ev, int code) =>
        ev.ResponseStatus = ev.ResponseStatus is { } status ? status with { Code = code } : new AuditResponseStatus(code);

    // The request target as the client sent it (upstream's req.URL.RequestURI()).
    private static string RequestUri(HttpContext context) =>
        context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw ? raw : context.Request.GetEncodedPathAndQuery();

    // /api/{version}/... or /apis/{group}/{version}/...
    private static string ApiVersion(string path, string group)
    {
        var segments = path.Split('/', 5, StringSplitOptions.RemoveEmptyEntries);
        var index = group.Length == 0 ? 1 : 2;
        return segments.Length > index ? segments[index] : string.Empty;
    }
}
