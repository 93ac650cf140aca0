using System.Net;
using Flotilla.Api.Errors;
using Flotilla.Api.Resources;
using Flotilla.ApiServer.Admission;
using Flotilla.ApiServer.Audit;
using Flotilla.ApiServer.Auth;
using Flotilla.ApiServer.Auth.Node;
using Flotilla.ApiServer.Auth.Rbac;
using Flotilla.ApiServer.Auth.ServiceAccounts;
using Flotilla.ApiServer.Bootstrap;
using Flotilla.ApiServer.Endpoints;
using Flotilla.ApiServer.Http;
using Flotilla.ApiServer.OpenApi;
using Flotilla.ApiServer.Registry;
using Flotilla.ApiServer.Watch;
using Flotilla.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Flotilla.ApiServer;

/// <summary>Builds the API server: Kestrel on the listen address, over a store the caller opens and closes.</summary>
public static class ApiServerHost
{
    private const int MaxHeaderBytes = 1 << 20;

    public static WebApplication Build(ApiServerOptions options, IStore store, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        // The empty builder: no configuration files (and so no file watchers on the working directory), no defaults
        // this server does not use; it adds Kestrel, routing and logging itself.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Limits.RequestHeadersTimeout = options.RequestHeadersTimeout);

        // Go's http.Server default: 1 MiB for the request line and headers together (Kestrel's own are 8 and 32 KiB,
        // too small for long label selectors); beyond it, 431.
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestHeadersTotalSize = MaxHeaderBytes;
            k.Limits.MaxRequestLineSize = MaxHeaderBytes;
            k.Limits.Http2.MaxRequestHeaderFieldSize = MaxHeaderBytes;
        });
        builder.WebHost.ConfigureKestrel(k =>
        {
            foreach (var endpoint in options.AlsoListen.Prepend(options.Listen))
            {
                k.Listen(endpoint, Serve);
            }
        });
        void Serve(ListenOptions listen)
        {
            // HTTP/1.1 stays next to HTTP/2: exec and port-forward upgrade HTTP/1.1 connections.
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            if (options.Tls is { } tls)
            {
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = tls.ServerCertificate,
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,

                    // Any certificate passes the handshake; the authentication filter answers a bad one with 401.
                    ClientCertificateValidation = (_, _, _) => true,
                });
            }
        }

        builder.Services.AddRoutingCore();
        builder.Services.AddLogging();
        logging?.Invoke(builder.Logging);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Readiness>();
        builder.Services.AddSingleton(sp => new CacheSet(sp.GetRequiredService<ResourceRegistry>(), sp.GetRequiredService<ILogger<CacheSet>>(), options.WatchCacheSize));
        builder.Services.AddSingleton<NodeGraph>();
        builder.Services.AddSingleton(sp =>
        {
            var caches = sp.GetRequiredService<CacheSet>();
            return new RuleResolver(name => caches.For(ResourceCatalog.Default.Find("rbac.authorization.k8s.io", "v1", name)!)!);
        });
        if (options.Tls is not null)
        {
            builder.Services.AddHostedService(sp => new NodeGraphPopulator(
                sp.GetRequiredService<NodeGraph>(),
                sp.GetRequiredService<CacheSet>().For(ResourceCatalog.Default.Find("", "v1", "pods")!)!,
                sp.GetRequiredService<CacheSet>().For(ResourceCatalog.Default.Find("", "v1", "persistentvolumes")!)!,
                sp.GetRequiredService<ILogger<NodeGraphPopulator>>()));
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(_ => new Kubelets.KubeletConnections(options.Kubelet));
        builder.Services.AddSingleton(_ => new MetricsApi.MetricsStore(options.MetricResolution));
        if (options.MetricResolution > TimeSpan.Zero)
        {
            builder.Services.AddHostedService<MetricsApi.MetricsScraper>();
        }
        builder.Services.AddSingleton(sp => new Authorizer(
            new RbacAuthorizer(sp.GetRequiredService<RuleResolver>()),
            new NodeAuthorizer(sp.GetRequiredService<NodeGraph>(), NodeAuthorizer.RulesOf(sp.GetRequiredService<CacheSet>().For(ResourceCatalog.Default.Find("rbac.authorization.k8s.io", "v1", "clusterroles")!)!))));
        builder.Services.AddSingleton(sp => new ClusterRoleAggregator(
            sp.GetRequiredService<CacheSet>().For(ResourceCatalog.Default.Find("rbac.authorization.k8s.io", "v1", "clusterroles")!)!,
            sp.GetRequiredService<ResourceRegistry>().Find("rbac.authorization.k8s.io", "v1", "clusterroles")!,
            sp.GetRequiredService<ILogger<ClusterRoleAggregator>>()));
        builder.Services.AddSingleton(options.PodSecurity);
        builder.Services.AddSingleton(AdmissionPlugins.Default);
        builder.Services.AddHostedService<Admission.Quota.QuotaStatusKeeper>();
        builder.Services.AddHostedService<Admission.Protection.StorageProtectionKeeper>();
        builder.Services.AddSingleton<MasterLeases>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MasterLeases>());
        builder.Services.AddSingleton(sp => new ResourceRegistry(ResourceCatalog.Default, store, sp.GetRequiredService<TimeProvider>()));
        AddServiceAccountTokens(builder.Services, options.Authentication);
        builder.Services.AddSingleton(sp => AuthenticationFilter.Tokens(options.Authentication, sp));
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(10));
        if (options.AuditLogPath is { } auditLogPath)
        {
            // A singleton, so disposing the app drains the queue into the file.
            builder.Services.AddSingleton(sp => AuditLog.Open(auditLogPath, options.AuditLogMaxSizeMiB * 1024L * 1024, options.AuditLogMaxBackups,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger<AuditLog>()));
        }

        var app = builder.Build();
        var time = app.Services.GetRequiredService<TimeProvider>();
        app.Use((context, next) =>
        {
            AuditContext.Init(context, time);
            return next(context);
        });

        // Until the bootstrap is done (caches, RBAC policy), API requests get 503 and Retry-After, as upstream answers
        // requests that come before all its paths are installed: another server of an HA cluster is reachable before it
        // can authenticate and authorize.
        var readiness = app.Services.GetRequiredService<Readiness>();
        app.Use((context, next) => readiness.IsReady || !(context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/apis"))
            ? next(context)
            : ApiResponse.WriteStatusAsync(context, StatusException.ServiceUnavailable("the request has been made before the server finished starting, please try again", retryAfterSeconds: 1)));
        var audit = options.AuditLogPath is null ? null
            : new AuditFilter(new AuditPolicyChecker(options.AuditPolicy ?? DefaultAuditPolicy.Policy), app.Services.GetRequiredService<AuditLog>(), time);
        if (options.Tls is { } serving)
        {
            app.UseCaCerts(serving.ClientCa.ExportCertificatePem());
            var authentication = AuthenticationFilter.Create(serving, app.Services, audit is null ? null : audit.FailedAuthenticationAsync, options.Authentication.AnonymousAuth);
            app.Use((context, next) => authentication.InvokeAsync(context, () => next(context)));
        }

        // After authentication (it logs the user), before authorization (it logs 403s and the decision).
        if (audit is not null)
        {
            app.Use((context, next) => audit.InvokeAsync(context, () => next(context)));
        }

        if (options.Tls is not null)
        {
            var authorization = new AuthorizationFilter(app.Services.GetRequiredService<Authorizer>());
            app.Use((context, next) => authorization.InvokeAsync(context, () => next(context)));
        }

        var limits = new RequestLimits();
        app.Use((context, next) => limits.InvokeAsync(context, () => next(context)));
        app.MapGet("/metrics", async context =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4";
            await Metrics.DefaultRegistry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });
        app.MapHealthEndpoints();
        app.MapVersionEndpoint();
        app.MapApiEndpoints();
        app.MapOpenApiEndpoints();
        return app;
    }

    /// <summary>The TokenRequest API's issuer and what token authenticators read objects through.</summary>
    private static void AddServiceAccountTokens(IServiceCollection services, AuthenticationOptions options)
    {
        if (options.ServiceAccountKey is { } key)
        {
            services.AddSingleton(key);  // the caller's: it disposes it
        }
        else
        {
            services.AddSingleton(_ => ServiceAccountKey.Ephemeral());
        }

        services.AddSingleton(sp => new ServiceAccountTokenIssuer(
            sp.GetRequiredService<ServiceAccountKey>(), options.ServiceAccountIssuer, options.ApiAudiences ?? [options.ServiceAccountIssuer]));
        services.AddSingleton<IObjectReader>(sp => new CachedObjectReader(sp.GetRequiredService<CacheSet>(), sp.GetRequiredService<ResourceRegistry>(), readYourWrites: false));
    }

    /// <summary>
    /// What must hold before the API serves: allocators repaired from the store, the system namespaces, the default
    /// RBAC policy (reconciled) with its ClusterRole aggregation running, the <c>kubernetes</c> Service pointing at
    /// <paramref name="apiServer"/> (the address clients reach) and the cluster DNS's <c>kube-dns</c> Service.
    /// </summary>
    public static async Task BootstrapAsync(WebApplication app, IPEndPoint apiServer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        var registry = app.Services.GetRequiredService<ResourceRegistry>();
        await app.Services.GetRequiredService<CacheSet>().StartAsync(cancellationToken);
        await ServiceRepair.RunAsync(registry, cancellationToken);
        await SystemNamespaces.EnsureAsync(registry, cancellationToken);
        await SystemPriorityClasses.EnsureAsync(registry, cancellationToken);
        await DefaultStorageClass.EnsureAsync(registry, cancellationToken);
        await BootstrapPolicy.EnsureAsync(registry, cancellationToken);
        app.Services.GetRequiredService<ClusterRoleAggregator>().Start(app.Lifetime.ApplicationStopping);
        await KubernetesService.EnsureServiceAsync(registry, apiServer.Port, cancellationToken);
        await app.Services.GetRequiredService<MasterLeases>().StartAsync(apiServer, cancellationToken);
        await ClusterDnsService.EnsureAsync(registry, cancellationToken);
        app.Services.GetRequiredService<Readiness>().MarkReady();
    }
}
