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
/// kube-controller-manager's EndpointSlice controller: the EndpointSlices (<c>kubernetes.io/service-name</c>,
/// managed by <c>endpointslice-controller.k8s.io</c>, owned by the Service) of every Service with a selector, with
/// ready/serving/terminating conditions, node, zone and pod of each endpoint. Its own writes do not wake it: a slice
/// event at a generation it wrote is ignored, and a cache that still trails its writes makes the sync wait.
/// </summary>
public sealed class EndpointSliceController
{
    public const string Name = "endpointslice-controller";

    /// <summary>Upstream endpointSliceChangeMinSyncDelay: slice changes by others are looked at after this.</summary>
    public static readonly TimeSpan SliceChangeDelay = TimeSpan.FromSeconds(1);

    private readonly Lister<V1Service> _services;
    private readonly Lister<V1Pod> _pods;
    private readonly Lister<V1EndpointSlice> _slices;
    private readonly EndpointSliceReconciler _reconciler;
    private readonly IEventRecorder _events;
    private readonly TriggerTimeTracker _triggers = new();

    public EndpointSliceController(Lister<V1Service> services, Lister<V1Pod> pods, Lister<V1EndpointSlice> slices, Lister<V1Node> nodes, IEndpointSliceClient client, IEventRecorder events, int maxEndpointsPerSlice, TimeProvider time)
    {
        _services = services;
        _pods = pods;
        _slices = slices;
        _events = events;
        _reconciler = new EndpointSliceReconciler(client, nodes, Tracker, maxEndpointsPerSlice);
        Queue = new WorkQueue<string>("endpoint_slice", time);
    }

    public WorkQueue<string> Queue { get; }

    public EndpointSliceTracker Tracker { get; } = new();

    public static async Task RunAsync(SharedInformerFactory informers, IEndpointSliceClient client, IEventRecorder events, int workers, int maxEndpointsPerSlice, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var services = informers.Informer<V1Service>();
        var pods = informers.Informer<V1Pod>();
        var slices = informers.Informer<V1EndpointSlice>();
        var nodes = informers.Informer<V1Node>();
        var controller = new EndpointSliceController(services.Lister, pods.Lister, slices.Lister, nodes.Lister, client, events, maxEndpointsPerSlice, time);
        using var queue = controller.Queue;
        services.AddEventHandler(new ResourceEventHandler<V1Service>
        {
            OnAdd = (s, _) => queue.Add(ObjectKeys.Of(s)),
            OnUpdate = (_, s) => queue.Add(ObjectKeys.Of(s)),
            OnDelete = s => queue.Add(ObjectKeys.Of(s)),
        });
        pods.AddEventHandler(ServicePods.Handler(services.Lister, queue.Add));
        slices.AddEventHandler(new ResourceEventHandler<V1EndpointSlice>
        {
            OnAdd = (slice, _) => controller.SliceAdded(slice),
            OnUpdate = controller.SliceUpdated,
            OnDelete = controller.SliceDeleted,
        });
        informers.Start();
        await informers.WaitForCacheSyncAsync(cancellationToken);
        await new ControllerLoop(Name, queue, controller.SyncAsync, log).RunAsync(workers, cancellationToken);
    }

    /// <summary>One pass over one Service's slices (upstream syncService); safe to repeat.</summary>
    public async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        var service = _services.Get(ns, name);
        if (service is null)
        {
            // Its slices are owned by it: the garbage collector deletes them.
            _triggers.Forget(key);
            Tracker.DeleteService(key);
            return;
        }

        if (!ServicePods.HasManagedEndpoints(service))
        {
            return;
        }

        var pods = ServicePods.Selected(_pods, service);
        var selector = LabelSelector.FromSet(new Dictionary<string, string>
        {
            [ServiceLabels.ServiceName] = name,
            [EndpointSliceReconciler.ManagedByLabel] = EndpointSliceReconciler.ControllerName,
        });
        var slices = _slices.List(ns, selector).Where(s => s.Metadata.DeletionTimestamp is null).ToList();
        if (Tracker.Stale(service, slices))
        {
            throw new InvalidOperationException("EndpointSlice informer cache is out of date");
        }

        var triggerTime = _triggers.Compute(service, pods);
        try
        {
            await _reconciler.ReconcileAsync(service, pods, slices, triggerTime, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _events.Event(service, EventTypes.Warning, "FailedToUpdateEndpointSlices", "Error updating Endpoint Slices for Service {0}/{1}: {2}", ns, name, e.Message);
            throw;
        }
    }

    internal void SliceAdded(V1EndpointSlice slice)
    {
        if (EndpointSliceReconciler.ManagedByController(slice) && Tracker.ShouldSync(slice))
        {
            QueueServiceOf(slice);
        }
    }

    internal void SliceUpdated(V1EndpointSlice old, V1EndpointSlice slice)
    {
        if (EndpointSliceTracker.ServiceKey(old) != EndpointSliceTracker.ServiceKey(slice))
        {
            // Someone relabelled it: both Services need a look.
            QueueServiceOf(slice);
            QueueServiceOf(old);
            return;
        }

        if (EndpointSliceReconciler.ManagedByController(old) != EndpointSliceReconciler.ManagedByController(slice) ||
            (EndpointSliceReconciler.ManagedByController(slice) && Tracker.ShouldSync(slice)))
        {
            QueueServiceOf(slice);
        }
    }

    internal void SliceDeleted(V1EndpointSlice slice)
    {
        if (EndpointSliceReconciler.ManagedByController(slice) && Tracker.Has(slice) && !Tracker.HandleDeletion(slice))
        {
            QueueServiceOf(slice);
        }
    }

    private void QueueServiceOf(V1EndpointSlice slice)
    {
        if (slice.Metadata.Labels?.TryGetValue(ServiceLabels.ServiceName, out var service) == true && service.Length > 0)
        {
            Queue.AddAfter(ObjectKeys.Of(slice.Metadata.NamespaceProperty, service), SliceChangeDelay);
        }
    }
}
