using Flotilla.Client;
using Flotilla.Client.Informers;
using Flotilla.Client.WorkQueue;
using Flotilla.Controllers.Framework;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Controllers.RootCaPublisher;

/// <summary>
/// kube-controller-manager's root-ca-cert-publisher: every namespace has the <c>kube-root-ca.crt</c> ConfigMap with
/// the cluster CA under <c>ca.crt</c>, which service account token volumes mount so pods can check the API server.
/// It is put back when deleted and set right when changed.
/// </summary>
public sealed partial class RootCaPublisher(Lister<V1Namespace> namespaces, Lister<V1ConfigMap> configMaps, IKubernetes client, string caPem, TimeProvider time, ILogger log)
{
    public const string Name = "root-ca-cert-publisher";
    public const string ConfigMapName = "kube-root-ca.crt";
    public const string Key = "ca.crt";
    public const string DescriptionAnnotation = "kubernetes.io/description";
    public const string Description = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";

    public WorkQueue<string> Queue { get; } = new("root_ca_cert_publisher", time);

    public static async Task RunAsync(SharedInformerFactory informers, IKubernetes client, string caPem, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var namespaces = informers.Informer<V1Namespace>();
        var configMaps = informers.Informer<V1ConfigMap>();
        var publisher = new RootCaPublisher(namespaces.Lister, configMaps.Lister, client, caPem, time, log);
        using var queue = publisher.Queue;
        namespaces.AddEventHandler(new ResourceEventHandler<V1Namespace>
        {
            OnAdd = (ns, _) => queue.Add(ns.Metadata.Name),
            OnUpdate = (_, ns) =>
            {
                if (ns.Status?.Phase == "Active")
                {
                    queue.Add(ns.Metadata.Name);
                }
            },
        });
        configMaps.AddEventHandler(new ResourceEventHandler<V1ConfigMap>
        {
            OnUpdate = (_, cm) => publisher.ConfigMapChanged(cm),
            OnDelete = publisher.ConfigMapChanged,
        });
        informers.Start();
        await informers.WaitForCacheSyncAsync(cancellationToken);
        await new ControllerLoop(Name, queue, publisher.SyncAsync, log).RunAsync(1, cancellationToken);
    }

    public async Task SyncAsync(string ns, CancellationToken cancellationToken)
    {
        var current = configMaps.Get(ns, ConfigMapName);
        if (current is null)
        {
            if (namespaces.Get(ns) is null)
            {
                return;
            }

            var created = new V1ConfigMap
            {
                Metadata = new V1ObjectMeta { Name = ConfigMapName, NamespaceProperty = ns, Annotations = new Dictionary<string, string> { [DescriptionAnnotation] = Description } },
                Data = new Dictionary<string, string> { [Key] = caPem },
            };
            try
            {
                await client.CoreV1.CreateNamespacedConfigMapAsync(created, ns, cancellationToken: cancellationToken);
            }
            catch (Exception e) when (ApiErrors.IsNotFound(e) || ApiErrors.HasCause(e, "NamespaceTerminating"))
            {
                // The namespace is going: nothing to publish there.
            }

            return;
        }

        if (current.Data is { Count: 1 } data && data.TryGetValue(Key, out var pem) && pem == caPem &&
            current.Metadata.Annotations?.TryGetValue(DescriptionAnnotation, out var description) == true && description.Length > 0)
        {
            return;
        }

        var updated = Api.Serialization.DeepCopy.Of(current);
        updated.Data = new Dictionary<string, string> { [Key] = caPem };
        updated.Metadata.Annotations ??= new Dictionary<string, string>();
        updated.Metadata.Annotations[DescriptionAnnotation] = Description;
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(updated, ConfigMapName, ns, cancellationToken: cancellationToken);
        LogRepaired(log, ns);
    }

    internal void ConfigMapChanged(V1ConfigMap cm)
    {
        if (cm.Metadata.Name == ConfigMapName)
        {
            Queue.Add(cm.Metadata.NamespaceProperty);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "configmap {Namespace}/kube-root-ca.crt set back to the cluster CA")]
    private static partial void LogRepaired(ILogger log, string @namespace);
}
