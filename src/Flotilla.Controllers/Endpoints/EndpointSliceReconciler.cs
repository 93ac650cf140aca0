using Flotilla.Client;
using Flotilla.Api.Selectors;
using Flotilla.Api.Services;
using Flotilla.Client.Informers;
using Flotilla.Controllers.Framework;
using k8s.Models;

namespace Flotilla.Controllers.Endpoints;

/// <summary>
/// Turns the pods a Service selects into its EndpointSlices (upstream's endpointslice Reconciler): per IP family and
/// per set of ports, endpoints kept where they are when they still exist (updated in place when their conditions
/// change), new ones filling the fullest changed slices first, then the unchanged slice they fit best, then new slices
/// of at most <c>maxEndpointsPerSlice</c>; an empty placeholder slice when there is nothing to list. Writes the fewest
/// slices it can, turning a create plus a delete into one update.
/// </summary>
public sealed partial class EndpointSliceReconciler(IEndpointSliceClient client, Lister<V1Node> nodes, EndpointSliceTracker tracker, int maxEndpointsPerSlice)
{
    public const string ManagedByLabel = "endpointslice.kubernetes.io/managed-by";
    public const string ControllerName = "endpointslice-controller.k8s.io";
    public const string ZoneLabel = "topology.kubernetes.io/zone";

    /// <summary>Upstream's default for <c>--max-endpoints-per-slice</c>.</summary>
    public const int DefaultMaxEndpointsPerSlice = 100;

    public static bool ManagedByController(V1EndpointSlice slice) =>
        slice.Metadata.Labels?.TryGetValue(ManagedByLabel, out var by) == true && by == ControllerName;

    public async Task ReconcileAsync(V1Service service, IReadOnlyList<V1Pod> pods, IReadOnlyList<V1EndpointSlice> existing, DateTime? triggerTime, CancellationToken cancellationToken)
    {
        var families = ServicePods.Families(service);
        var errors = new List<string>();
        var plan = new SlicePlan();
        plan.Delete.AddRange(existing.Where(s => !families.Contains(s.AddressType, StringComparer.Ordinal)));
        foreach (var family in families)
        {
            var familyPlan = Plan(service, pods, existing.Where(s => s.AddressType == family).ToList(), family, errors);
            await FinalizeAsync(service, familyPlan, triggerTime, cancellationToken);
        }

        foreach (var slice in plan.Delete)
        {
            await DeleteAsync(slice, cancellationToken);
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", errors));
        }
    }

    /// <summary>The creates, updates and deletes that make one family's slices list <paramref name="pods"/> (upstream reconcileByAddressType).</summary>
    public SlicePlan Plan(V1Service service, IReadOnlyList<V1Pod> pods, IReadOnlyList<V1EndpointSlice> existing, string family, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(errors);
        var plan = new SlicePlan();
        var existingByPorts = new Dictionary<string, List<V1EndpointSlice>>(StringComparer.Ordinal);
        foreach (var slice in existing)
        {
            if (OwnedBy(slice, service))
            {
                Group(existingByPorts, PortsKey(slice.Ports)).Add(slice);
            }
            else
            {
                plan.Delete.Add(slice);
            }
        }

        var desired = new Dictionary<string, (IList<Discoveryv1EndpointPort> Ports, SortedDictionary<string, V1Endpoint> Endpoints)>(StringComparer.Ordinal);
        var publishNotReady = service.Spec.PublishNotReadyAddresses == true;
        foreach (var pod in pods)
        {
            if (!ServicePods.ShouldBeInEndpoints(pod, includeTerminating: true))
            {
                continue;
            }

            var ports = Ports(service, pod);
            var key = PortsKey(ports);
            if (!desired.TryGetValue(key, out var group))
            {
                group = (ports, new SortedDictionary<string, V1Endpoint>(StringComparer.Ordinal));
                desired[key] = group;
            }

            var node = string.IsNullOrEmpty(pod.Spec.NodeName) ? null : nodes.Get(pod.Spec.NodeName);
            if (node is null && !publishNotReady)
            {
                // Listed once the node shows up; meanwhile the others are not held back.
                errors.Add($"skipping Pod {pod.Metadata.Name} for Service {service.Metadata.NamespaceProperty}/{service.Metadata.Name}: Node {pod.Spec.NodeName} Not Found");
                continue;
            }

            var endpoint = Endpoint(pod, node, service, family);
            if (endpoint.Addresses.Count > 0)
            {
                group.Endpoints[EndpointKey(endpoint)] = endpoint;
            }
        }

        foreach (var (key, group) in desired)
        {
            var (create, update, delete) = PlanPorts(service, existingByPorts.GetValueOrDefault(key) ?? [], group.Endpoints, group.Ports, family);
            plan.Create.AddRange(create);
            plan.Update.AddRange(update);
            plan.Delete.AddRange(delete);
        }

        foreach (var (key, slices) in existingByPorts)
        {
            if (!desired.ContainsKey(key))
            {
                plan.Delete.AddRange(slices);
            }
        }

        if (existing.Count == plan.Delete.Count && plan.Create.Count == 0)
        {
            // Nothing to list: one empty slice says so (kept if it is there already).
            var placeholder = NewSlice(service, [], family);
            if (plan.Delete.Count == 1 && SamePlaceholder(plan.Delete[0], placeholder))
            {
                plan.Delete.Clear();
            }
            else
            {
                plan.Create.Add(placeholder);
            }
        }

        return plan;
    }

    /// <summary>Upstream reconcileByPortMapping: slices of one set of ports.</summary>
    private (List<V1EndpointSlice> Create, List<V1EndpointSlice> Update, List<V1EndpointSlice> Delete) PlanPorts(
        V1Service service, List<V1EndpointSlice> existing, SortedDictionary<string, V1Endpoint> desired, IList<Discoveryv1EndpointPort> ports, string family)
    {
        var byName = new Dictionary<string, V1EndpointSlice>(StringComparer.Ordinal);
        var unchanged = new List<string>();
        var toUpdate = new List<string>();
        var toDelete = new List<string>();

        // 1. Keep the endpoints still wanted where they are, updated if they changed; drop the rest.
        foreach (var slice in existing)
        {
            byName[slice.Metadata.Name] = slice;
            var kept = new List<V1Endpoint>();
            var changed = false;
            foreach (var endpoint in slice.Endpoints ?? [])
            {
                var key = EndpointKey(endpoint);
                if (desired.Remove(key, out var want))
                {
                    kept.Add(want);
                    changed |= !SameBeyondKey(want, endpoint);
                }
            }

            var (labels, labelsChanged) = SliceLabels(slice, service);
            if (changed || kept.Count != (slice.Endpoints?.Count ?? 0))
            {
                if (kept.Count == 0)
                {
                    toDelete.Add(slice.Metadata.Name);
                }
                else
                {
                    var copy = Api.Serialization.DeepCopy.Of(slice);
                    copy.Endpoints = kept;
                    copy.Metadata.Labels = labels;
                    byName[slice.Metadata.Name] = copy;
                    toUpdate.Add(slice.Metadata.Name);
                }
            }
            else if (labelsChanged)
            {
                var copy = Api.Serialization.DeepCopy.Of(slice);
                copy.Metadata.Labels = labels;
                byName[slice.Metadata.Name] = copy;
                toUpdate.Add(slice.Metadata.Name);
            }
            else
            {
                unchanged.Add(slice.Metadata.Name);
            }
        }

        // 2. New endpoints fill the slices being written anyway, fullest first.
        if (desired.Count > 0)
        {
            foreach (var slice in toUpdate.Select(n => byName[n]).OrderByDescending(s => s.Endpoints.Count).ToList())
            {
                Fill(slice, desired);
            }
        }

        // 3. Then the unchanged slice they fit best, then new slices.
        var toCreate = new List<V1EndpointSlice>();
        while (desired.Count > 0)
        {
            V1EndpointSlice? target = null;
            if (desired.Count < maxEndpointsPerSlice && unchanged.Count > 0)
            {
                target = BestFit(unchanged.Select(n => byName[n]), desired.Count);
            }

            if (target is null)
            {
                target = NewSlice(service, ports, family);
            }
            else
            {
                target = Api.Serialization.DeepCopy.Of(target);
                target.Endpoints ??= [];
                byName[target.Metadata.Name] = target;
            }

            Fill(target, desired);
            if (target.Metadata.Name is { Length: > 0 } name)
            {
                toUpdate.Add(name);
                unchanged.Remove(name);
            }
            else
            {
                toCreate.Add(target);
            }
        }

        return (toCreate, toUpdate.Select(n => byName[n]).ToList(), toDelete.Select(n => byName[n]).ToList());
    }

    /// <summary>Upstream finalize: creates that can reuse a slice being deleted become updates of it.</summary>
    private async Task FinalizeAsync(V1Service service, SlicePlan plan, DateTime? triggerTime, CancellationToken cancellationToken)
    {
        for (var i = 0; i < plan.Delete.Count && plan.Create.Count > 0;)
        {
            var doomed = plan.Delete[i];
            var slice = plan.Create[^1];
            if (doomed.AddressType == slice.AddressType && OwnedBy(doomed, service))
            {
                slice.Metadata.Name = doomed.Metadata.Name;
                plan.Create.RemoveAt(plan.Create.Count - 1);
                plan.Update.Add(slice);
                plan.Delete.RemoveAt(i);
            }
            else
            {
                i++;
            }
        }

        var ns = service.Metadata.NamespaceProperty;
        if (service.Metadata.DeletionTimestamp is null)
        {
            // Not while the Service goes: the garbage collector would race these new slices.
            foreach (var slice in plan.Create)
            {
                SetTriggerTime(slice, triggerTime);
                try
                {
                    tracker.Update(await client.CreateAsync(slice, cancellationToken));
                }
                catch (Exception e) when (ApiErrors.HasCause(e, "NamespaceTerminating"))
                {
                    return;
                }
                catch (k8s.Autorest.HttpOperationException e)
                {
                    throw new InvalidOperationException($"failed to create EndpointSlice for Service {ns}/{service.Metadata.Name}: {ApiErrors.Message(e)}", e);
                }
            }
        }

        foreach (var slice in plan.Update)
        {
            SetTriggerTime(slice, triggerTime);
            try
            {
                tracker.Update(await client.UpdateAsync(slice, cancellationToken));
            }
            catch (k8s.Autorest.HttpOperationException e)
            {
                throw new InvalidOperationException($"failed to update {slice.Metadata.Name} EndpointSlice for Service {ns}/{service.Metadata.Name}: {ApiErrors.Message(e)}", e);
            }
        }

        foreach (var slice in plan.Delete)
        {
            await DeleteAsync(slice, cancellationToken);
        }
    }

    private async Task DeleteAsync(V1EndpointSlice slice, CancellationToken cancellationToken)
    {
        await client.DeleteAsync(slice.Metadata.NamespaceProperty, slice.Metadata.Name, cancellationToken);
        tracker.ExpectDeletion(slice);
    }
}

/// <summary>The slice writes one sync makes.</summary>
public sealed class SlicePlan
{
    public List<V1EndpointSlice> Create { get; } = [];

    public List<V1EndpointSlice> Update { get; } = [];

    public List<V1EndpointSlice> Delete { get; } = [];
}
