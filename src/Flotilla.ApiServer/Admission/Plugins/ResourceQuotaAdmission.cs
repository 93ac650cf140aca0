using System.Globalization;
using Flotilla.Api.Errors;
using Flotilla.ApiServer.Admission.Quota;
using Flotilla.ApiServer.Registry;
using Flotilla.ApiServer.Registry.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Admission.Plugins;

/// <summary>
/// Upstream's ResourceQuota plugin: an object is admitted only if every quota of its namespace that covers it still
/// has room, and its usage is charged to those quotas' <c>status.used</c> before it is stored. The charge is an
/// update guarded by the quota's resourceVersion, so concurrent writers (on any API server) never both take the
/// last unit: the loser re-reads and is checked again. Usage is given back by <see cref="QuotaStatusKeeper"/>.
/// </summary>
public sealed class ResourceQuotaAdmission(AdmissionLookup lookup) : IValidatingAdmission
{
    private const int MaxAttempts = 16;

    // Pods must state these per container when a quota limits them (upstream's backward-compatibility rule).
    private static readonly string[] ComputeResources = ["cpu", "limits.cpu", "limits.memory", "memory", "requests.cpu", "requests.memory"];

    public string Name => "ResourceQuota";

    public async ValueTask ValidateAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Subresource.Length > 0 || request.Object is null || request.Namespace.Length == 0 || !Charged(request))
        {
            return;
        }

        var quotas = lookup.List<V1ResourceQuota>("", "resourcequotas", request.Namespace).ToList();
        if (quotas.Count == 0)
        {
            return;
        }

        var delta = Delta(request);
        if (delta.Count == 0)
        {
            return;
        }

        var storage = lookup.Registry.Find("", "v1", "resourcequotas")!;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                foreach (var cached in quotas)
                {
                    var quota = (V1ResourceQuota)(await storage.GetAsync(request.Namespace, cached.Metadata.Name, cancellationToken)).Object;
                    await ChargeAsync(request, storage, quota, delta, cancellationToken);
                }

                return;
            }
            catch (StatusException e) when (e.Code == 409 && attempt < MaxAttempts)
            {
                // Someone charged a quota in between: check again against the new usage.
            }
            catch (StatusException e) when (e.Code == 404)
            {
                quotas = lookup.List<V1ResourceQuota>("", "resourcequotas", request.Namespace).ToList();
            }
        }
    }

    private static bool Charged(AdmissionRequest request) => request.Operation switch
    {
        AdmissionOperation.Create => true,

        // Changing a service's type or a claim's size changes what it uses; pods' resources cannot change.
        AdmissionOperation.Update => request.Resource.Group.Length == 0 && request.Resource.Plural is "services" or "persistentvolumeclaims",
        _ => false,
    };

    private static Dictionary<string, decimal> Delta(AdmissionRequest request)
    {
        var usage = QuotaUsage.Of(request.Resource, request.Object!);
        if (request.OldObject is { } old)
        {
            foreach (var (name, before) in QuotaUsage.Of(request.Resource, old))
            {
                usage[name] = usage.GetValueOrDefault(name) - before;
            }

            // Only growth is charged now; what shrinks is given back by the status keeper's recount.
            foreach (var name in usage.Where(u => u.Value <= 0).Select(u => u.Key).ToList())
            {
                usage.Remove(name);
            }
        }

        return usage;
    }

    private static async Task ChargeAsync(AdmissionRequest request, ResourceStorage storage, V1ResourceQuota quota, Dictionary<string, decimal> delta, CancellationToken cancellationToken)
    {
        var hard = quota.Status?.Hard ?? new Dictionary<string, ResourceQuantity>();
        if (!hard.Keys.Any(k => QuotaUsage.Tracks(request.Resource, k)) || !QuotaScopes.Matches(quota, request.Object!))
        {
            return;
        }

        if (request.Object is V1Pod pod && MissingCompute(pod, hard) is { } missing)
        {
            throw request.Forbidden($"failed quota: {quota.Metadata.Name}: must specify {missing}");
        }

        var covered = delta.Keys.Where(hard.ContainsKey).OrderBy(k => k, StringComparer.Ordinal).ToList();
        if (covered.Count == 0)
        {
            return;
        }

        var used = quota.Status?.Used ?? new Dictionary<string, ResourceQuantity>();
        var unknown = covered.Where(k => !used.ContainsKey(k)).ToList();
        if (unknown.Count > 0)
        {
            throw request.Forbidden($"status unknown for quota: {quota.Metadata.Name}, resources: {string.Join(",", unknown)}");
        }

        var exceeded = covered.Where(k => Quantities.Value(used[k]) + delta[k] > Quantities.Value(hard[k])).ToList();
        if (exceeded.Count > 0)
        {
            throw request.Forbidden($"exceeded quota: {quota.Metadata.Name}, requested: {Print(exceeded, k => Format(delta[k], hard[k]))}, " +
                $"used: {Print(exceeded, k => Quantities.Canonical(used[k]))}, limited: {Print(exceeded, k => Quantities.Canonical(hard[k]))}");
        }

        if (request.DryRun)
        {
            return;
        }

        var charged = new Dictionary<string, ResourceQuantity>(used);
        foreach (var name in covered)
        {
            charged[name] = Quantity(Quantities.Value(used[name]) + delta[name], hard[name]);
        }

        // Guarded by the resourceVersion just read: a concurrent charge makes this a 409, and the caller retries.
        await storage.UpdateAsync(request.Namespace, quota.Metadata.Name, storage.Strategy.StatusStrategy!, current =>
        {
            var updated = (V1ResourceQuota)current!;
            updated.Metadata.ResourceVersion = quota.Metadata.ResourceVersion;
            (updated.Status ??= new V1ResourceQuotaStatus()).Used = charged;
            return updated;
        }, dryRun: false, admission: null, cancellationToken);
    }

    private static string? MissingCompute(V1Pod pod, IDictionary<string, ResourceQuantity> hard)
    {
        var required = ComputeResources.Where(hard.ContainsKey).ToList();
        if (required.Count == 0)
        {
            return null;
        }

        var missing = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var container in (pod.Spec?.Containers ?? []).Concat(pod.Spec?.InitContainers ?? []))
        {
            var requests = container.Resources?.Requests;
            var limits = container.Resources?.Limits;
            foreach (var name in required)
            {
                var stated = name switch
                {
                    "cpu" or "requests.cpu" => requests?.ContainsKey("cpu") == true,
                    "memory" or "requests.memory" => requests?.ContainsKey("memory") == true,
                    "limits.cpu" => limits?.ContainsKey("cpu") == true,
                    _ => limits?.ContainsKey("memory") == true,
                };
                if (!stated)
                {
                    (missing.TryGetValue(name, out var names) ? names : missing[name] = new SortedSet<string>(StringComparer.Ordinal)).Add(container.Name);
                }
            }
        }

        return missing.Count == 0 ? null : string.Join("; ", missing.Select(m => $"{m.Key} for: {string.Join(",", m.Value)}"));
    }

    private static string Print(IEnumerable<string> names, Func<string, string> value) => string.Join(",", names.Select(n => $"{n}={value(n)}"));

    private static string Format(decimal value, ResourceQuantity like) => Quantities.Canonical(Quantity(value, like));

    private static ResourceQuantity Quantity(decimal value, ResourceQuantity like) => new(value, 0, like.Format);
}
