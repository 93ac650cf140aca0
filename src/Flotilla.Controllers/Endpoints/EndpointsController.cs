using System.Collections.Concurrent;
using Flotilla.Api.Selectors;
using Flotilla.Api.Services;
using Flotilla.Client;
using Flotilla.Client.Events;
using Flotilla.Client.Informers;
using Flotilla.Client.WorkQueue;
using Flotilla.Controllers.Framework;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Controllers.Endpoints;

/// <summary>
/// kube-controller-manager's endpoints controller: for every Service with a selector, an Endpoints object of the same
/// name listing the IP, node and pod of each selected pod, ready ones under <c>addresses</c> and the rest under
/// <c>notReadyAddresses</c> (all ready with <c>publishNotReadyAddresses</c>), on each service port the pod offers
/// (named target ports resolved per pod). Services without a selector keep the Endpoints their users write.
/// </summary>
public sealed partial class EndpointsController
{
    public const string Name = "endpoint-controller";

    /// <summary>Endpoints the leader-election of old components kept: never a Service's, never deleted.</summary>
    private const string LeaderAnnotation = "control-plane.alpha.kubernetes.io/leader";

    private readonly Lister<V1Service> _services;
    private readonly Lister<V1Pod> _pods;
    private readonly Lister<V1Endpoints> _endpoints;
    private readonly IEndpointsClient _client;
    private readonly IEventRecorder _events;
    private readonly ILogger _log;
    private readonly TriggerTimeTracker _triggers = new();

    // The resourceVersion each Endpoints had before this controller's last update of it: seeing it again in the
    // cache means the cache has not caught up yet (upstream staleEndpointsTracker).
    private readonly ConcurrentDictionary<string, string> _replacedVersions = new(StringComparer.Ordinal);

    public EndpointsController(Lister<V1Service> services, Lister<V1Pod> pods, Lister<V1Endpoints> endpoints, IEndpointsClient client, IEventRecorder events, TimeProvider time, ILogger log)
    {
        _services = services;
        _pods = pods;
        _endpoints = endpoints;
        _client = client;
        _events = events;
        _log = log;
        Queue = new WorkQueue<string>("endpoint", time);
    }

    public WorkQueue<string> Queue { get; }

    public static async Task RunAsync(SharedInformerFactory informers, IEndpointsClient client, IEventRecorder events, int workers, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var services = informers.Informer<V1Service>();
        var pods = informers.Informer<V1Pod>();
        var endpoints = informers.Informer<V1Endpoints>();
        var controller = new EndpointsController(services.Lister, pods.Lister, endpoints.Lister, client, events, time, log);
        using var queue = controller.Queue;
        services.AddEventHandler(new ResourceEventHandler<V1Service>
        {
            OnAdd = (s, _) => queue.Add(ObjectKeys.Of(s)),
            OnUpdate = (_, s) => queue.Add(ObjectKeys.Of(s)),
            OnDelete = s => queue.Add(ObjectKeys.Of(s)),
        });
        pods.AddEventHandler(ServicePods.Handler(services.Lister, queue.Add));
        endpoints.AddEventHandler(new ResourceEventHandler<V1Endpoints> { OnDelete = e => queue.Add(ObjectKeys.Of(e)) });
        informers.Start();
        await informers.WaitForCacheSyncAsync(cancellationToken);
        controller.QueueLeftovers();
        await new ControllerLoop(Name, queue, controller.SyncAsync, log).RunAsync(workers, cancellationToken);
    }

    /// <summary>
    /// Every Endpoints object's Service, once at start (upstream checkLeftoverEndpoints): Endpoints of Services deleted
    /// while no controller ran are found and deleted.
    /// </summary>
    public void QueueLeftovers()
    {
        foreach (var endpoints in _endpoints.List().Where(e => e.Metadata.Annotations?.ContainsKey(LeaderAnnotation) != true))
        {
            Queue.Add(ObjectKeys.Of(endpoints));
        }
    }

    /// <summary>One pass over one Service's endpoints (upstream syncService); safe to repeat.</summary>
    public async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        var service = _services.Get(ns, name);
        if (service is null)
        {
            await _client.DeleteAsync(ns, name, cancellationToken);
            _triggers.Forget(key);
            _replacedVersions.TryRemove(key, out _);
            return;
        }

        if (!ServicePods.HasManagedEndpoints(service))
        {
            return;
        }

        var pods = ServicePods.Selected(_pods, service);
        var triggerTime = _triggers.Compute(service, pods);
        var subsets = EndpointSubsets.Repack(Subsets(service, pods));

        var current = _endpoints.Get(ns, name);
        if (current is not null && _replacedVersions.TryGetValue(key, out var replaced) && replaced == current.Metadata.ResourceVersion)
        {
            throw new InvalidOperationException($"endpoints informer cache is out of date, resource version {replaced} already processed for endpoints {key}");
        }

        var labels = service.Metadata.Labels is null ? new Dictionary<string, string>() : new Dictionary<string, string>(service.Metadata.Labels);
        if (current is not null &&
            EndpointSubsets.Same(current.Subsets, subsets) &&
            LabelSets.Equal(WithoutHeadless(current.Metadata.Labels), labels) &&
            CapacityAnnotationRight(current))
        {
            return;
        }

        var updated = current is null
            ? new V1Endpoints { ApiVersion = "v1", Kind = "Endpoints", Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns } }
            : Api.Serialization.DeepCopy.Of(current);
        updated.Subsets = subsets;
        if (ServicePods.IsHeadless(service))
        {
            labels[ServiceLabels.Headless] = string.Empty;
        }

        updated.Metadata.Labels = labels;
        var annotations = updated.Metadata.Annotations ?? new Dictionary<string, string>();
        if (triggerTime is { } trigger)
        {
            annotations[TriggerTimeTracker.Annotation] = TriggerTimeTracker.Format(trigger);
        }
        else
        {
            annotations.Remove(TriggerTimeTracker.Annotation);
        }

        if (EndpointSubsets.Truncate(updated.Subsets))
        {
            annotations[EndpointSubsets.OverCapacityAnnotation] = "truncated";
        }
        else
        {
            annotations.Remove(EndpointSubsets.OverCapacityAnnotation);
        }

        updated.Metadata.Annotations = annotations;
        LogWriting(_log, key, subsets.Sum(s => s.Addresses?.Count ?? 0), subsets.Sum(s => s.NotReadyAddresses?.Count ?? 0));
        try
        {
            if (current is null)
            {
                await _client.CreateAsync(updated, cancellationToken);
                return;
            }

            var written = await _client.UpdateAsync(updated, cancellationToken);
            if (written.Metadata.ResourceVersion != current.Metadata.ResourceVersion)
            {
                _replacedVersions[key] = current.Metadata.ResourceVersion;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (current is null && ApiErrors.HasCause(e, "NamespaceTerminating"))
            {
                return;  // creates will keep failing until the namespace goes, and then nothing is needed
            }

            var message = ApiErrors.Describe(e);
            if (current is null)
            {
                _events.Event(updated, EventTypes.Warning, "FailedToCreateEndpoint", "Failed to create endpoint for service {0}/{1}: {2}", ns, name, message);
            }
            else
            {
                _events.Event(updated, EventTypes.Warning, "FailedToUpdateEndpoint", "Failed to update endpoint {0}/{1}: {2}", ns, name, message);
            }

            throw;
        }
    }

    /// <summary>One subset per pod and port, before repacking (upstream's loop over pods and addEndpointSubset).</summary>
    private static List<V1EndpointSubset> Subsets(V1Service service, IEnumerable<V1Pod> pods)
    {
        var publishNotReady = service.Spec.PublishNotReadyAddresses == true;
        var family = ServicePods.Families(service)[0];
        var subsets = new List<V1EndpointSubset>();
        foreach (var pod in pods)
        {
            if (!ServicePods.ShouldBeInEndpoints(pod, includeTerminating: publishNotReady) || ServicePods.Addresses(pod, family).FirstOrDefault() is not { } ip)
            {
                continue;
            }

            var address = new V1EndpointAddress
            {
                Ip = ip,
                NodeName = pod.Spec.NodeName,
                Hostname = ServicePods.ShouldSetHostname(pod, service) ? pod.Spec.Hostname : null,
                TargetRef = new V1ObjectReference { Kind = "Pod", NamespaceProperty = pod.Metadata.NamespaceProperty, Name = pod.Metadata.Name, Uid = pod.Metadata.Uid },
            };
            var ready = publishNotReady || Pods.IsReady(pod);
            var ports = service.Spec.Ports ?? [];
            if (ports.Count == 0)
            {
                if (service.Spec.ClusterIP == "None")
                {
                    subsets.Add(Subset(address, ready, null));
                }

                continue;
            }

            foreach (var servicePort in ports)
            {
                if (ServicePods.FindPort(pod, servicePort) is { } port)
                {
                    subsets.Add(Subset(address, ready, new Corev1EndpointPort { Name = servicePort.Name, Port = port, Protocol = servicePort.Protocol, AppProtocol = servicePort.AppProtocol }));
                }
            }
        }

        return subsets;
    }

    private static V1EndpointSubset Subset(V1EndpointAddress address, bool ready, Corev1EndpointPort? port) => new()
    {
        Addresses = ready ? [address] : null,
        NotReadyAddresses = ready ? null : [address],
        Ports = port is null ? null : [port],
    };

    private static Dictionary<string, string>? WithoutHeadless(IDictionary<string, string>? labels) =>
        labels?.Where(l => l.Key != ServiceLabels.Headless).ToDictionary(l => l.Key, l => l.Value);

    /// <summary>The over-capacity annotation is there exactly when the stored addresses are too many.</summary>
    private static bool CapacityAnnotationRight(V1Endpoints endpoints) =>
        EndpointSubsets.Count(endpoints.Subsets) <= EndpointSubsets.MaxAddresses &&
        endpoints.Metadata.Annotations?.ContainsKey(EndpointSubsets.OverCapacityAnnotation) != true;

    [LoggerMessage(Level = LogLevel.Debug, Message = "endpoints {Key}: writing {Ready} ready and {NotReady} not ready addresses")]
    private static partial void LogWriting(ILogger log, string key, int ready, int notReady);
}
