using System.Text;
using Flotilla.ApiServer.Bootstrap;
using Flotilla.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Flotilla.ApiServer.Endpoints;

/// <summary>
/// /healthz, /livez and /readyz as kube-apiserver serves them: <c>ok</c>, or with <c>?verbose</c> one
/// <c>[+]check ok</c> / <c>[-]check failed: reason</c> line per check and a verdict; 500 when a check fails.
/// Readiness also needs start-up done and the store answering.
/// </summary>
public static class HealthEndpoints
{
    private static readonly TimeSpan StoreCheckTimeout = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", (HttpContext context) => Answer(context, "healthz", [("ping", null)]));
        app.MapGet("/livez", (HttpContext context) => Answer(context, "livez", [("ping", null)]));
        app.MapGet("/readyz", async (HttpContext context, IStore store, Readiness readiness) =>
        {
            var bootstrap = readiness.IsReady ? null : "not finished";
            return Answer(context, "readyz", [("ping", null), ("store", await CheckStoreAsync(store, context.RequestAborted)), ("poststarthook/bootstrap", bootstrap)]);
        });
        return app;
    }

    private static async Task<string?> CheckStoreAsync(IStore store, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StoreCheckTimeout);
        try
        {
            await store.GetCurrentRevisionAsync(timeout.Token);
            return null;
        }
        catch (Exception e) when (e is StoreException or OperationCanceledException)
        {
            return e.Message;
        }
    }

    private static IResult Answer(HttpContext context, string endpoint, IReadOnlyList<(string Name, string? Failure)> checks)
    {
        var failed = checks.Any(c => c.Failure is not null);
        var verbose = context.Request.Query.ContainsKey("verbose");
        if (!verbose && !failed)
        {
            return Results.Text("ok");
        }

        var text = new StringBuilder();
        foreach (var (name, failure) in checks)
        {
            text.Append(failure is null ? $"[+]{name} ok\n" : $"[-]{name} failed: {failure}\n");
        }

        text.Append(failed ? $"{endpoint} check failed\n" : $"{endpoint} check passed\n");
        return Results.Text(text.ToString(), statusCode: failed ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK);
    }
}
