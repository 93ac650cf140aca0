using Flotilla.Client;
using Flotilla.Client.Events;
using Flotilla.Client.Informers;
using Flotilla.Client.WorkQueue;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Controllers.ServiceLb;

/// <summary>
/// LoadBalancer Services without a cloud (k3s' ServiceLB, as the service controller of a cloud provider reports
/// it): a <c>LoadBalancer</c> Service of no other <c>loadBalancerClass</c> gets the Ready nodes' addresses (ExternalIP,
/// else InternalIP) as <c>status.loadBalancer.ingress</c>, where every node's proxy answers its ports. A port and
/// protocol belong to the oldest such Service that asks for it: a later one stays pending, with upstream's
/// <c>SyncLoadBalancerFailed</c> event naming the holder, until the port is free.
/// </summary>
public sealed partial class ServiceLbController(Lister<V1Service> services, Lister<V1Node> nodes, IKubernetes client, IEventRecorder events, TimeProvider time, ILogger log)
{
    public const string Name = "service-controller";

    public WorkQueue<string> Queue { get; } = new("service", time);

    public static async Task RunAsync(SharedInformerFactory informers, IKubernetes client, IEventRecorder events, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var serviceInformer = informers.Informer<V1Service>();
        var nodeInformer = informers.Informer<V1Node>();
        var controller = new ServiceLbController(serviceInformer.Lister, nodeInformer.Lister, client, events, time, log);
        using var queue = controller.Queue;

        // A change to one balanced service or to any node can change every balanced service's answer.
        serviceInformer.AddEventHandler(new ResourceEventHandler<V1Service>
        {
            OnAdd = (s, _) => controller.Changed(s),
            OnUpdate = (old, s) => controller.Changed(old, s),
            OnDelete = s => controller.Changed(s),
        });
        nodeInformer.AddEventHandler(new ResourceEventHandler<V1Node>
        {
            OnAdd = (_, _) => controller.EnqueueAll(),
            OnUpdate = (old, node) =>
            {
                if (Eligible(old) != Eligible(node))
                {
                    controller.EnqueueAll();
                }
            },
            OnDelete = _ => controller.EnqueueAll(),
        });
        informers.Start();
        await informers.WaitForCacheSyncAsync(cancellationToken);
        await new ControllerLoop(Name, queue, controller.SyncAsync, log).RunAsync(1, cancellationToken);
    }

    public async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        var service = services.Get(ns!, name);
        if (service is null)
        {
            return;
        }

        var wanted = new V1LoadBalancerStatus { Ingress = [] };
        string? conflict = null;
        if (Balanced(service))
        {
            conflict = Conflict(service);
            if (conflict is null)
            {
                wanted.Ingress = [.. Addresses().Select(ip => new V1LoadBalancerIngress { Ip = ip })];
            }
        }

        var current = service.Status?.LoadBalancer?.Ingress ?? [];
        if (conflict is not null)
        {
            events.Event(service, EventTypes.Warning, "SyncLoadBalancerFailed", "Error syncing load balancer: failed to ensure load balancer: {0}", conflict);
        }

        if (current.Select(i => i.Ip).SequenceEqual(wanted.Ingress.Select(i => i.Ip)) && current.All(i => i.Hostname is null))
        {
            return;
        }

        var updated = Api.Serialization.DeepCopy.Of(service);
        updated.Status ??= new V1ServiceStatus();
        updated.Status.LoadBalancer = wanted.Ingress.Count == 0 ? new V1LoadBalancerStatus() : wanted;
        try
        {
            await client.CoreV1.ReplaceNamespacedServiceStatusAsync(updated, name, ns, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            return;
        }

        if (wanted.Ingress.Count > 0)
        {
            events.Event(service, EventTypes.Normal, "EnsuredLoadBalancer", "Ensured load balancer");
            LogEnsured(log, key, string.Join(",", wanted.Ingress.Select(i => i.Ip)));
        }
    }

    /// <summary>Ours to balance: type LoadBalancer, no class of another implementation.</summary>
    internal static bool Balanced(V1Service service) => service.Spec is { Type: "LoadBalancer", LoadBalancerClass: null };

    /// <summary>The ready nodes' addresses, sorted.</summary>
    internal IReadOnlyList<string> Addresses() =>
        [.. nodes.List()
            .Select(Eligible)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    /// <summary>Why <paramref name="service"/> cannot have its ports: an older balanced service holds one; null when it can.</summary>
    internal string? Conflict(V1Service service)
    {
        var older = services.List()
            .Where(s => Balanced(s) && Older(s, service))
            .OrderBy(s => s.Metadata.CreationTimestamp)
            .ThenBy(s => ObjectKeys.Of(s.Metadata.NamespaceProperty, s.Metadata.Name), StringComparer.Ordinal);
        foreach (var port in service.Spec.Ports ?? [])
        {
            var protocol = port.Protocol ?? "TCP";
            var holder = older.FirstOrDefault(s => s.Spec.Ports?.Any(p => p.Port == port.Port && (p.Protocol ?? "TCP") == protocol) == true);
            if (holder is not null)
            {
                return $"port {port.Port}/{protocol} is already used by load balancer service {holder.Metadata.NamespaceProperty}/{holder.Metadata.Name}";
            }
        }

        return null;
    }

    internal void Changed(V1Service service) => Changed(null, service);

    internal void Changed(V1Service? old, V1Service service)
    {
        if (Balanced(service) || (old is not null && Balanced(old)))
        {
            EnqueueAll();
        }

        // No longer balanced: its status is cleared.
        if (!Balanced(service) && service.Status?.LoadBalancer?.Ingress is { Count: > 0 })
        {
            Queue.Add(ObjectKeys.Of(service.Metadata.NamespaceProperty, service.Metadata.Name));
        }
    }

    private void EnqueueAll()
    {
        foreach (var service in services.List().Where(Balanced))
        {
            Queue.Add(ObjectKeys.Of(service.Metadata.NamespaceProperty, service.Metadata.Name));
        }
    }

    private static bool Older(V1Service candidate, V1Service service)
    {
        var (a, b) = (candidate.Metadata.CreationTimestamp ?? DateTime.MaxValue, service.Metadata.CreationTimestamp ?? DateTime.MaxValue);
        return a < b || (a == b && string.CompareOrdinal(ObjectKeys.Of(candidate.Metadata.NamespaceProperty, candidate.Metadata.Name), ObjectKeys.Of(service.Metadata.NamespaceProperty, service.Metadata.Name)) < 0);
    }

    /// <summary>A Ready node's address (ExternalIP, else InternalIP); null for a node that is not Ready.</summary>
    private static string? Eligible(V1Node node) =>
        node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") != true ? null : node.Status?.Addresses?.FirstOrDefault(a => a.Type == "ExternalIP")?.Address ?? node.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address;

    [LoggerMessage(Level = LogLevel.Information, Message = "service {Service}: load balancer at {Addresses}")]
    private static partial void LogEnsured(ILogger log, string service, string addresses);
}
