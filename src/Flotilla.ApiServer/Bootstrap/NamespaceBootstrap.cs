using Flotilla.Api.Errors;
using Flotilla.Storage;
using Flotilla.ApiServer.Registry;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Flotilla.ApiServer.Bootstrap;

/// <summary>
/// What every active namespace holds: the <c>default</c> ServiceAccount (upstream's serviceaccounts controller) and
/// the <c>kube-root-ca.crt</c> ConfigMap with the cluster CA (upstream's root-ca-cert-publisher), put back when
/// deleted or changed. It writes through the registry like any client; it runs in the API server until the
/// controller manager exists (issue #6), which takes it over.
/// </summary>
public sealed partial class NamespaceBootstrap(ResourceRegistry registry, ApiServerOptions options, ILogger<NamespaceBootstrap> log) : BackgroundService
{
    private const string Description = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private readonly string? _caPem = options.Tls is { } tls ? tls.ClientCa.ExportCertificatePem() + "\n" : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var namespaces = registry.Find("", "v1", "namespaces")!;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var page = await namespaces.ListAsync(null, new ListRequest(), stoppingToken);
                foreach (var ns in page.Items)
                {
                    await EnsureAsync(ns.Metadata.Name, stoppingToken);
                }

                await Task.WhenAll(
                    FollowAsync("namespaces", page.Revision, c => c.Type != ChangeType.Deleted, stoppingToken),
                    FollowAsync("serviceaccounts", page.Revision, c => c.Type == ChangeType.Deleted && c.Object.Metadata.Name == ServiceAccountName, stoppingToken),
                    FollowAsync("configmaps", page.Revision, c => c.Object.Metadata.Name == Admission.Plugins.ServiceAccountAdmission.RootCaConfigMap, stoppingToken));
            }
            catch (OperationCanceledException)
            {
                // Stopping, or the store closed under a host that failed to start: nothing left to follow.
                return;
            }
            catch (Exception e) when (e is StatusException or StoreException)
            {
                LogRetry(log, e.Message);
                await Task.Delay(RetryDelay, stoppingToken);
            }
        }
    }

    private static string ServiceAccountName => Admission.Plugins.ServiceAccountAdmission.DefaultName;

    private async Task FollowAsync(string plural, long revision, Func<ObjectChange, bool> relevant, CancellationToken cancellationToken)
    {
        await foreach (var change in registry.Find("", "v1", plural)!.WatchAsync(null, revision, cancellationToken))
        {
            if (relevant(change))
            {
                await EnsureAsync(plural == "namespaces" ? change.Object.Metadata.Name : change.Object.Metadata.NamespaceProperty, cancellationToken);
            }
        }
    }

    private async Task EnsureAsync(string ns, CancellationToken cancellationToken)
    {
        try
        {
            var current = (V1Namespace)(await registry.Find("", "v1", "namespaces")!.GetAsync(null, ns, cancellationToken)).Object;
            if (current.Metadata.DeletionTimestamp is not null || current.Status?.Phase == "Terminating")
            {
                return;
            }

            await CreateIfMissingAsync("serviceaccounts", ns, new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = ServiceAccountName } }, cancellationToken);
            if (_caPem is not null)
            {
                await EnsureRootCaAsync(ns, cancellationToken);
            }
        }
        catch (StatusException e) when (e.Code is 404 or 403 or 409)
        {
            // The namespace went away or is being emptied meanwhile: nothing to keep there.
        }
    }

    private async Task EnsureRootCaAsync(string ns, CancellationToken cancellationToken)
    {
        var configMaps = registry.Find("", "v1", "configmaps")!;
        var wanted = new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = Admission.Plugins.ServiceAccountAdmission.RootCaConfigMap, Annotations = new Dictionary<string, string> { ["kubernetes.io/description"] = Description } },
            Data = new Dictionary<string, string> { ["ca.crt"] = _caPem! },
        };
        var name = wanted.Metadata.Name;
        if (await CreateIfMissingAsync("configmaps", ns, wanted, cancellationToken) ||
            ((V1ConfigMap)(await configMaps.GetAsync(ns, name, cancellationToken)).Object).Data is { } data && data.TryGetValue("ca.crt", out var pem) && pem == _caPem)
        {
            return;  // writing only a difference, so this writer's own changes do not wake it again
        }

        await configMaps.UpdateAsync(ns, name, configMaps.Strategy, current =>
        {
            var configMap = (V1ConfigMap)(current ?? wanted);
            configMap.Data = wanted.Data;
            configMap.Metadata.Annotations = wanted.Metadata.Annotations;
            return configMap;
        }, dryRun: false, admission: null, cancellationToken);
    }

    private async Task<bool> CreateIfMissingAsync(string plural, string ns, k8s.IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken)
    {
        try
        {
            await registry.Find("", "v1", plural)!.CreateAsync(ns, obj, dryRun: false, admission: null, cancellationToken);
            return true;
        }
        catch (StatusException e) when (e.Reason == "AlreadyExists")
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "namespace defaults: retrying after {Error}")]
    private static partial void LogRetry(ILogger logger, string error);
}
