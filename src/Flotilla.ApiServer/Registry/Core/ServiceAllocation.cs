using Flotilla.Api.Errors;
using Flotilla.Api.Validation;
using Flotilla.ApiServer.Registry.Allocation;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Core;

/// <summary>
/// The service registry's allocations: a cluster IP from the service CIDR and node ports for NodePort and
/// LoadBalancer services, taken before the Service is stored and released when it goes away. The allocators are
/// memory only and rebuilt from the stored Services at start (<see cref="Repair"/>), as upstream's repair loop does.
/// </summary>
public sealed class ServiceAllocation(IpAllocator ips, PortAllocator ports) : IStorageHooks
{
    public IpAllocator Ips => ips;

    public PortAllocator Ports => ports;

    public void Repair(IEnumerable<V1Service> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        foreach (var svc in services)
        {
            if (HasClusterIp(svc))
            {
                ips.Allocate(svc.Spec!.ClusterIP);
            }

            foreach (var port in svc.Spec?.Ports ?? [])
            {
                if (port.NodePort is { } p)
                {
                    ports.Allocate(p);
                }
            }
        }
    }

    public Action BeforeCreate(IKubernetesObject<V1ObjectMeta> obj)
    {
        var svc = (V1Service)obj;
        var undo = new List<Action>();
        try
        {
            AllocateClusterIp(svc, undo);
            AllocateNodePorts(svc, null, undo);
            return () => undo.ForEach(u => u());
        }
        catch
        {
            undo.ForEach(u => u());
            throw;
        }
    }

    public Action BeforeUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        var svc = (V1Service)obj;
        var was = (V1Service)old;
        var undo = new List<Action>();
        try
        {
            if (svc.Spec is not null && was.Spec is not null && NeedsClusterIp(svc) && string.IsNullOrEmpty(svc.Spec.ClusterIP))
            {
                // Clients that do not send the allocated values keep them (upstream's patchAllocatedValues).
                svc.Spec.ClusterIP = was.Spec.ClusterIP;
                svc.Spec.ClusterIPs = was.Spec.ClusterIPs;
            }

            if (!HasClusterIp(was))
            {
                AllocateClusterIp(svc, undo);
            }

            AllocateNodePorts(svc, was, undo);
            return () => undo.ForEach(u => u());
        }
        catch
        {
            undo.ForEach(u => u());
            throw;
        }
    }

    public void AfterUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        var svc = (V1Service)obj;
        var was = (V1Service)old;
        if (HasClusterIp(was) && svc.Spec?.ClusterIP != was.Spec.ClusterIP)
        {
            ips.Release(was.Spec!.ClusterIP);
        }

        var kept = (svc.Spec?.Ports ?? []).Select(p => p.NodePort).ToHashSet();
        foreach (var port in was.Spec?.Ports ?? [])
        {
            if (port.NodePort is { } p && !kept.Contains(p))
            {
                ports.Release(p);
            }
        }
    }

    public void AfterDelete(IKubernetesObject<V1ObjectMeta> obj)
    {
        var svc = (V1Service)obj;
        if (HasClusterIp(svc))
        {
            ips.Release(svc.Spec!.ClusterIP);
        }

        foreach (var port in svc.Spec?.Ports ?? [])
        {
            ports.Release(port.NodePort);
        }
    }

    private void AllocateClusterIp(V1Service svc, List<Action> undo)
    {
        if (svc.Spec is null || !NeedsClusterIp(svc) || svc.Spec.ClusterIP == "None")
        {
            return;
        }

        if (string.IsNullOrEmpty(svc.Spec.ClusterIP))
        {
            svc.Spec.ClusterIP = ips.AllocateNext() ?? throw Invalid(svc, FieldError.Invalid("spec.clusterIPs", null, "failed to allocate a serviceIP: range is full"));
        }
        else
        {
            var ip = svc.Spec.ClusterIP;
            var result = ips.Allocate(ip);
            if (result != AllocationResult.Allocated)
            {
                var detail = result == AllocationResult.InUse
                    ? $"failed to allocate IP {ip}: provided IP is already allocated"
                    : $"failed to allocate IP {ip}: the provided IP ({ip}) is not in the valid range. The range of valid IPs is {ips.Cidr}";
                throw Invalid(svc, FieldError.Invalid("spec.clusterIPs", new[] { ip }, detail));
            }
        }

        var allocated = svc.Spec.ClusterIP;
        undo.Add(() => ips.Release(allocated));
        svc.Spec.ClusterIPs = [allocated];
        svc.Spec.IpFamilies ??= ["IPv4"];
        svc.Spec.IpFamilyPolicy ??= "SingleStack";
    }

    private void AllocateNodePorts(V1Service svc, V1Service? old, List<Action> undo)
    {
        if (svc.Spec?.Type is not ("NodePort" or "LoadBalancer") ||
            (svc.Spec.Type == "LoadBalancer" && svc.Spec.AllocateLoadBalancerNodePorts == false))
        {
            return;
        }

        var held = (old?.Spec?.Ports ?? []).Where(p => p.NodePort is not null).ToList();
        for (var i = 0; i < svc.Spec.Ports?.Count; i++)
        {
            var port = svc.Spec.Ports[i];
            if (port.NodePort is null)
            {
                var previous = held.FirstOrDefault(p => p.Port == port.Port && (p.Protocol ?? "TCP") == (port.Protocol ?? "TCP"));
                if (previous is not null)
                {
                    port.NodePort = previous.NodePort;
                    continue;
                }

                port.NodePort = ports.AllocateNext() ?? throw Invalid(svc, FieldError.Invalid($"spec.ports[{i}].nodePort", null, "failed to allocate a nodePort: range is full"));
            }
            else if (held.Any(p => p.NodePort == port.NodePort))
            {
                continue;
            }
            else
            {
                var result = ports.Allocate(port.NodePort.Value);
                if (result != AllocationResult.Allocated)
                {
                    var detail = result == AllocationResult.InUse
                        ? "provided port is already allocated"
                        : $"provided port is not in the valid range. The range of valid ports is {ports.Range}";
                    throw Invalid(svc, FieldError.Invalid($"spec.ports[{i}].nodePort", port.NodePort, detail));
                }
            }

            var allocated = port.NodePort;
            undo.Add(() => ports.Release(allocated));
        }
    }

    private static bool NeedsClusterIp(V1Service svc) => svc.Spec?.Type != "ExternalName";

    private static bool HasClusterIp(V1Service svc) =>
        svc.Spec is not null && !string.IsNullOrEmpty(svc.Spec.ClusterIP) && svc.Spec.ClusterIP != "None";

    private static StatusException Invalid(V1Service svc, FieldError error) =>
        StatusException.Invalid(string.Empty, "Service", svc.Metadata.Name ?? string.Empty, [error]);
}
