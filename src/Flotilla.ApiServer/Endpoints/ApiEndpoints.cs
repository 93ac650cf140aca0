using Flotilla.Api.Errors;
using Flotilla.ApiServer.Discovery;
using Flotilla.ApiServer.Handlers;
using Flotilla.ApiServer.Http;
using Flotilla.ApiServer.Registry;
using Flotilla.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Flotilla.ApiServer.Endpoints;

/// <summary>
/// Every path under <c>/api</c> and <c>/apis</c>: discovery documents, and resource requests dispatched by verb to
/// the generic handlers. Every failure leaves as a Kubernetes Status.
/// </summary>
public static partial class ApiEndpoints
{
    public static IEndpointRouteBuilder MapApiEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Map("/api/{**rest}", context => HandleAsync(context, legacy: true));
        app.Map("/apis/{**rest}", context => HandleAsync(context, legacy: false));
        return app;
    }

    private static async Task HandleAsync(HttpContext context, bool legacy)
    {
        var registry = context.RequestServices.GetRequiredService<ResourceRegistry>();
        var rest = (string?)context.Request.RouteValues["rest"] ?? string.Empty;
        var segments = rest.Split('/', StringSplitOptions.RemoveEmptyEntries);
        try
        {
            if (DiscoveryEndpoints.TryHandle(context, registry.Catalog, legacy, segments, out var discovery))
            {
                await discovery;
                return;
            }

            var query = new QueryOptions(context.Request.Query);
            var info = RequestInfoParser.Parse(legacy, segments, context.Request.Method, query.Flag("watch"))
                ?? throw NotFound();
            var storage = registry.Find(info.Group, info.Version, info.Resource) ?? throw NotFound();
            await DispatchAsync(context, storage, info, query);
        }
        catch (StatusException e)
        {
            await WriteErrorAsync(context, e);
        }
        catch (StoreException e) when (e.Error == StoreError.ValueTooLarge)
        {
            await WriteErrorAsync(context, StatusException.TooLarge($"Request entity too large: {e.Message}"));
        }
        catch (StoreException e)
        {
            LogStoreFailure(Logger(context), context.Request.Method, context.Request.Path, e.Message);
            await WriteErrorAsync(context, StatusException.Internal(e.Message));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private static Task DispatchAsync(HttpContext context, ResourceStorage storage, RequestInfo info, QueryOptions query)
    {
        var resource = storage.Resource;
        if (info.Namespace is not null && !resource.Namespaced && info.Resource != "namespaces")
        {
            throw NotFound();
        }

        if (resource.Virtual)
        {
            return info switch
            {
                { Subresource: null } when resource.Group == MetricsApi.MetricsHandler.Group && info.Verb is "get" or "list" => MetricsApi.MetricsHandler.HandleAsync(context, resource, info, query),
                { Verb: "create", Subresource: null } when resource.Verbs.Contains("create") => ReviewHandler.CreateAsync(context, storage),
                _ => throw StatusException.MethodNotSupported(resource.Group, resource.Plural, info.Verb),
            };
        }

        if (info.Subresource is { } sub && !resource.Subresources.Contains(sub))
        {
            throw NotFound();
        }

        if (info.Name is null && info.Namespace is null && resource.Namespaced && info.Verb is "create")
        {
            throw NotFound();
        }

        return (info.Verb, info.Subresource) switch
        {
            ("get", null) => ReadHandlers.GetAsync(context, storage, info),
            ("list", null) => ReadHandlers.ListAsync(context, storage, info, query),
            ("watch", null) => WatchHandler.WatchAsync(context, storage, info, query),
            ("create", null) => WriteHandlers.CreateAsync(context, storage, info, query),
            ("update", null) => WriteHandlers.UpdateAsync(context, storage, storage.Strategy, info, query),
            ("patch", null) => PatchHandler.PatchAsync(context, storage, storage.Strategy, info, query),
            ("delete", null) => DeleteHandlers.DeleteAsync(context, storage, info, query),
            ("deletecollection", null) => DeleteHandlers.DeleteCollectionAsync(context, storage, info, query),
            ("get", "status") => ReadHandlers.GetAsync(context, storage, info),
            ("update", "status") => WriteHandlers.UpdateAsync(context, storage, storage.Strategy.StatusStrategy!, info, query),
            ("patch", "status") => PatchHandler.PatchAsync(context, storage, storage.Strategy.StatusStrategy!, info, query),
            ("get", "approval") => ReadHandlers.GetAsync(context, storage, info),
            ("update", "approval") => WriteHandlers.UpdateAsync(context, storage, ((Registry.Certificates.CertificateSigningRequestStrategy)storage.Strategy).Approval, info, query),
            ("patch", "approval") => PatchHandler.PatchAsync(context, storage, ((Registry.Certificates.CertificateSigningRequestStrategy)storage.Strategy).Approval, info, query),
            ("update", "finalize") => WriteHandlers.UpdateAsync(context, storage, new Registry.Core.NamespaceFinalizeStrategy(storage.Strategy), info, query),
            ("create", "binding") => BindingHandler.CreateAsync(context, storage, info, query),
            ("create", "token") => TokenRequestHandler.CreateAsync(context, storage, info),
            ("get", "scale") => ScaleHandler.GetAsync(context, storage, info),
            ("get", "log") => PodLogHandler.GetAsync(context, storage, info, query),
            ("get" or "create", "exec" or "attach" or "portforward") => PodConnectHandler.ConnectAsync(context, storage, info, query),
            (_, "proxy") => NodeProxyHandler.HandleAsync(context, info),
            ("update" or "patch", "scale") => ScaleHandler.UpdateAsync(context, storage, info, query),
            _ => throw StatusException.MethodNotSupported(resource.Group, info.Subresource is null ? resource.Plural : $"{resource.Plural}/{info.Subresource}", info.Verb),
        };
    }

    private static StatusException NotFound() => new(404, "NotFound", "the server could not find the requested resource", new StatusDetails());

    private static Task WriteErrorAsync(HttpContext context, StatusException e) =>
        context.Response.HasStarted ? Task.CompletedTask : ApiResponse.WriteStatusAsync(context, e);

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Flotilla.ApiServer");

    [LoggerMessage(Level = LogLevel.Error, Message = "store failure on {Method} {Path}: {Error}")]
    private static partial void LogStoreFailure(ILogger logger, string method, string path, string error);
}
