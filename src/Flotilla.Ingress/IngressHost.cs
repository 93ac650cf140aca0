using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Flotilla.Client;
using Flotilla.Client.Informers;
using Flotilla.Ingress.Routing;
using Flotilla.Ingress.Tls;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Ingress;

/// <summary>
/// The ingress controller: makes its IngressClass and Service (<see cref="IngressObjects"/>), watches Ingresses,
/// IngressClasses, Services, EndpointSlices and Secrets, and whenever they change builds a new routing snapshot
/// (swapped in under live connections) and gives its Ingresses the load balancer's addresses as their status. While
/// its ports are taken it says so and tries again every <see cref="BindRetry"/>. Runs until cancelled.
/// </summary>
public static partial class IngressHost
{
    public static readonly TimeSpan BindRetry = TimeSpan.FromSeconds(5);

    /// <summary>Statuses are checked again this often even without a change (a write that failed is retried).</summary>
    public static readonly TimeSpan Resync = TimeSpan.FromSeconds(30);

    /// <param name="started">Called once it listens.</param>
    public static async Task RunAsync(IKubernetes client, IngressOptions options, ILoggerFactory logs, TimeProvider time, CancellationToken cancellationToken, Action<IngressServer>? started = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logs);
        var log = logs.CreateLogger("Flotilla.Ingress");
        using var changed = new Wakeup();
        await using var informers = new SharedInformerFactory(client, time, logs);
        var ingresses = informers.Informer<V1Ingress>();
        var classes = informers.Informer<V1IngressClass>();
        var services = informers.Informer<V1Service>();
        var slices = informers.Informer<V1EndpointSlice>();
        var secrets = informers.Informer<V1Secret>(new InformerOptions { FieldSelector = "type=kubernetes.io/tls" });
        Watch(ingresses, changed);
        Watch(classes, changed);
        Watch(services, changed);
        Watch(slices, changed);
        Watch(secrets, changed);
        informers.Start();
        var cache = new Dictionary<string, X509Certificate2>(StringComparer.Ordinal);
        try
        {
            await EnsureObjectsAsync(client, options, log, time, cancellationToken);
            await informers.WaitForCacheSyncAsync(cancellationToken);
            using var fallback = TlsCertificates.SelfSigned(time);
            var reported = new HashSet<string>(StringComparer.Ordinal);
            List<V1Ingress> ours = [];
            IngressSnapshot Build()
            {
                var isDefault = classes.Lister.Get(IngressOptions.ClassName)?.Metadata?.Annotations?.TryGetValue(IngressObjects.IsDefaultAnnotation, out var value) == true && value == "true";
                ours = [.. IngressRoutes.Oldest(ingresses.Lister.List().Where(i => IngressRoutes.IsOurs(i, IngressOptions.ClassName, isDefault)))];
                var invalid = new HashSet<string>(StringComparer.Ordinal);
                var certificates = TlsCertificates.Build(ours, secrets.Lister.Get, cache, (secret, why) =>
                {
                    invalid.Add(secret);
                    if (!reported.Contains(secret))
                    {
                        LogBadSecret(log, secret, why);
                    }
                });
                reported.IntersectWith(invalid);
                reported.UnionWith(invalid);
                return new IngressSnapshot(IngressRoutes.Build(ours, services.Lister.List(), slices.Lister.List()), certificates);
            }

            var current = Build();
            await using var server = await ServeAsync(options, () => Volatile.Read(ref current), fallback, log, time, cancellationToken);
            LogStarted(log, server.Http.ToString(), server.Https.ToString(), IngressOptions.ClassName);
            started?.Invoke(server);
            while (true)
            {
                await UpdateStatusesAsync(client, ours, services.Lister.Get(IngressObjects.ServiceNamespace, IngressObjects.ServiceName), log, cancellationToken);
                await changed.WaitAsync(Resync, time, cancellationToken);
                Volatile.Write(ref current, Build());
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            foreach (var certificate in cache.Values)
            {
                certificate.Dispose();
            }
        }
    }

    private static void Watch<T>(SharedInformer<T> informer, Wakeup changed)
        where T : class, k8s.IKubernetesObject<V1ObjectMeta> =>
        informer.AddEventHandler(new ResourceEventHandler<T> { OnAdd = (_, _) => changed.Set(), OnUpdate = (_, _) => changed.Set(), OnDelete = _ => changed.Set() });

    /// <summary>The class and Service; an API error is logged and tried again, the rest of the controller waits for them.</summary>
    private static async Task EnsureObjectsAsync(IKubernetes client, IngressOptions options, ILogger log, TimeProvider time, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await IngressObjects.EnsureAsync(client, options, cancellationToken);
                return;
            }
            catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                LogEnsureFailed(log, ApiErrors.Describe(e));
                await Task.Delay(BindRetry, time, cancellationToken);
            }
        }
    }

    private static async Task<IngressServer> ServeAsync(IngressOptions options, Func<IngressSnapshot> snapshot, X509Certificate2 fallback, ILogger log, TimeProvider time, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await IngressServer.StartAsync(options, snapshot, fallback, cancellationToken);
            }
            catch (IOException e)
            {
                LogCannotListen(log, $"{options.Http} and {options.Https}", e.Message, BindRetry.TotalSeconds);
                await Task.Delay(BindRetry, time, cancellationToken);
            }
            catch (SocketException e)
            {
                LogCannotListen(log, $"{options.Http} and {options.Https}", e.Message, BindRetry.TotalSeconds);
                await Task.Delay(BindRetry, time, cancellationToken);
            }
        }
    }

    /// <summary>Each of this controller's Ingresses gets the load balancer Service's addresses as its status (ingress-nginx's <c>--publish-service</c>).</summary>
    private static async Task UpdateStatusesAsync(IKubernetes client, IReadOnlyList<V1Ingress> ours, V1Service? balancer, ILogger log, CancellationToken cancellationToken)
    {
        var addresses = (balancer?.Status?.LoadBalancer?.Ingress ?? []).Select(i => i.Ip).Where(ip => ip is not null).ToList();
        foreach (var ingress in ours)
        {
            var current = (ingress.Status?.LoadBalancer?.Ingress ?? []).Select(i => i.Ip).ToList();
            if (current.SequenceEqual(addresses))
            {
                continue;
            }

            var updated = Api.Serialization.DeepCopy.Of(ingress);
            updated.Status ??= new V1IngressStatus();
            updated.Status.LoadBalancer = new V1IngressLoadBalancerStatus { Ingress = addresses.Count == 0 ? null : [.. addresses.Select(ip => new V1IngressLoadBalancerIngress { Ip = ip })] };
            try
            {
                await client.NetworkingV1.ReplaceNamespacedIngressStatusAsync(updated, ingress.Metadata.Name, ingress.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
                LogStatus(log, $"{ingress.Metadata.NamespaceProperty}/{ingress.Metadata.Name}", addresses.Count == 0 ? "(none)" : string.Join(",", addresses));
            }
            catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Changed meanwhile or gone: the next pass (a change, or the resync) tries again.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "ingress controller for class {Class} listening on {Http} (HTTP) and {Https} (HTTPS)")]
    private static partial void LogStarted(ILogger log, string http, string https, string @class);

    [LoggerMessage(Level = LogLevel.Error, Message = "ingress controller cannot listen on {Endpoints}: {Error}; trying again in {Seconds} s")]
    private static partial void LogCannotListen(ILogger log, string endpoints, string error, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ingress controller: cannot make its IngressClass and Service yet: {Error}")]
    private static partial void LogEnsureFailed(ILogger log, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ingress controller: secret {Secret}: {Why}; its hosts get the default certificate")]
    private static partial void LogBadSecret(ILogger log, string secret, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "ingress {Ingress}: load balancer at {Addresses}")]
    private static partial void LogStatus(ILogger log, string ingress, string addresses);
}
