using Flotilla.Api.Resources;
using Flotilla.ApiServer.Bootstrap;
using Flotilla.ApiServer.Endpoints;
using Flotilla.ApiServer.OpenApi;
using Flotilla.ApiServer.Registry;
using Flotilla.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Flotilla.ApiServer;

/// <summary>Builds the API server: Kestrel on the listen address, over a store the caller opens and closes.</summary>
public static class ApiServerHost
{
    public static WebApplication Build(ApiServerOptions options, IStore store, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(options.Listen));
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new ResourceRegistry(ResourceCatalog.Default, store, sp.GetRequiredService<TimeProvider>()));
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(10));

        var app = builder.Build();
        app.MapHealthEndpoints();
        app.MapVersionEndpoint();
        app.MapApiEndpoints();
        app.MapOpenApiEndpoints();
        return app;
    }

    /// <summary>What must exist before the API serves: the system namespaces.</summary>
    public static Task BootstrapAsync(WebApplication app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        return SystemNamespaces.EnsureAsync(app.Services.GetRequiredService<ResourceRegistry>(), cancellationToken);
    }
}
