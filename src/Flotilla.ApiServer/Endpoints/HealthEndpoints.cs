using Flotilla.ApiServer.Bootstrap;
using Flotilla.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Flotilla.ApiServer.Endpoints;

/// <summary>/healthz, /livez and /readyz answer "ok" as kube-apiserver's do; readiness also needs the store to answer.</summary>
public static class HealthEndpoints
{
    private static readonly TimeSpan StoreCheckTimeout = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/livez", () => Results.Text("ok"));
        app.MapGet("/readyz", async (IStore store, Readiness readiness, CancellationToken cancellationToken) =>
        {
            if (!readiness.IsReady)
            {
                return Results.Text("[-]bootstrap not finished\nreadyz check failed", statusCode: StatusCodes.Status500InternalServerError);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StoreCheckTimeout);
            try
            {
                await store.GetCurrentRevisionAsync(timeout.Token);
                return Results.Text("ok");
            }
            catch (Exception e) when (e is StoreException or OperationCanceledException)
            {
                return Results.Text($"[-]store failed: {e.Message}\nreadyz check failed", statusCode: StatusCodes.Status500InternalServerError);
            }
        });
        return app;
    }
}
