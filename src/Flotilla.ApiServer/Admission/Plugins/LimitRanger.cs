using System.Globalization;
using Flotilla.ApiServer.Registry.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Admission.Plugins;

/// <summary>
/// Upstream's LimitRanger: a new pod's containers get the namespace LimitRanges' default requests and limits where
/// they set none (noted in the <c>kubernetes.io/limit-ranger</c> annotation), then pods and claims are held to the
/// ranges' min, max and maxLimitRequestRatio per Container, per Pod and per PersistentVolumeClaim. Pod updates
/// are not checked: containers' resources cannot change.
/// </summary>
public sealed class LimitRanger(AdmissionLookup lookup) : IMutatingAdmission, IValidatingAdmission
{
    public const string Annotation = "kubernetes.io/limit-ranger";

    public string Name => "LimitRanger";

    public ValueTask AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Applies(request) && request.Object is V1Pod pod)
        {
            foreach (var range in Ranges(request))
            {
                SetDefaults(pod, range);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask ValidateAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Applies(request))
        {
            return ValueTask.CompletedTask;
        }

        var errors = new List<string>();
        foreach (var range in Ranges(request))
        {
            errors.AddRange(request.Object switch
            {
                V1Pod pod => Check(pod, range),
                V1PersistentVolumeClaim claim => Check(claim, range),
                _ => [],
            });
        }

        // utilerrors.NewAggregate: one error as itself, several in brackets.
        return errors.Count switch
        {
            0 => ValueTask.CompletedTask,
            1 => throw request.Forbidden(errors[0]),
            _ => throw request.Forbidden("[" + string.Join(", ", errors) + "]"),
        };
    }

    private static bool Applies(AdmissionRequest request) =>
        request.Operation == AdmissionOperation.Create && (request.Is("", "pods") || request.Is("", "persistentvolumeclaims"));

    private IEnumerable<V1LimitRange> Ranges(AdmissionRequest request) =>
        lookup.List<V1LimitRange>("", "limitranges", request.Namespace).OrderBy(r => r.Metadata.Name, StringComparer.Ordinal);

    private static void SetDefaults(V1Pod pod, V1LimitRange range)
    {
        var requests = new Dictionary<string, ResourceQuantity>();
        var limits = new Dictionary<string, ResourceQuantity>();
        foreach (var item in range.Spec?.Limits ?? [])
        {
            if (item.Type == "Container")
            {
                Copy(item.DefaultRequest, requests);
                Copy(item.DefaultProperty, limits);
            }
        }

        var notes = new List<string>();
        foreach (var container in pod.Spec.Containers ?? [])
        {
            Merge(container, requests, limits, "container", notes);
        }

        foreach (var container in pod.Spec.InitContainers ?? [])
        {
            Merge(container, requests, limits, "init container", notes);
        }

        if (notes.Count > 0)
        {
            (pod.Metadata.Annotations ??= new Dictionary<string, string>())[Annotation] = "LimitRanger plugin set: " + string.Join("; ", notes);
        }
    }

    private static void Copy(IDictionary<string, ResourceQuantity>? from, Dictionary<string, ResourceQuantity> to)
    {
        foreach (var (name, quantity) in from ?? new Dictionary<string, ResourceQuantity>())
        {
            to[name] = new ResourceQuantity(quantity.ToString());
        }
    }

    private static void Merge(V1Container container, Dictionary<string, ResourceQuantity> requests, Dictionary<string, ResourceQuantity> limits, string kind, List<string> notes)
    {
        var resources = container.Resources ??= new V1ResourceRequirements();
        var setLimits = Fill(resources.Limits ??= new Dictionary<string, ResourceQuantity>(), limits);
        var setRequests = Fill(resources.Requests ??= new Dictionary<string, ResourceQuantity>(), requests);
        if (setRequests.Count > 0)
        {
            notes.Add($"{string.Join(", ", setRequests)} request for {kind} {container.Name}");
        }

        if (setLimits.Count > 0)
        {
            notes.Add($"{string.Join(", ", setLimits)} limit for {kind} {container.Name}");
        }
    }

    private static List<string> Fill(IDictionary<string, ResourceQuantity> target, Dictionary<string, ResourceQuantity> defaults)
    {
        var set = new List<string>();
        foreach (var (name, quantity) in defaults)
        {
            if (target.TryAdd(name, new ResourceQuantity(quantity.ToString())))
            {
                set.Add(name);
            }
        }

        set.Sort(StringComparer.Ordinal);
        return set;
    }

    private static IEnumerable<string> Check(V1Pod pod, V1LimitRange range)
    {
        foreach (var item in range.Spec?.Limits ?? [])
        {
            if (item.Type == "Container")
            {
                foreach (var container in (pod.Spec.Containers ?? []).Concat(pod.Spec.InitContainers ?? []))
                {
                    foreach (var error in Constraints(item, container.Resources?.Requests, container.Resources?.Limits))
                    {
                        yield return error;
                    }
                }
            }
            else if (item.Type == "Pod")
            {
                foreach (var error in Constraints(item, PodTotal(pod, r => r?.Requests), PodTotal(pod, r => r?.Limits)))
                {
                    yield return error;
                }
            }
        }
    }

    private static IEnumerable<string> Check(V1PersistentVolumeClaim claim, V1LimitRange range)
    {
        var requests = claim.Spec?.Resources?.Requests;
        foreach (var item in range.Spec?.Limits ?? [])
        {
            if (item.Type != "PersistentVolumeClaim")
            {
                continue;
            }

            foreach (var (name, min) in item.Min ?? new Dictionary<string, ResourceQuantity>())
            {
                if (Min(item.Type, name, min, requests, null) is { } error)
                {
                    yield return error;
                }
            }

            foreach (var (name, max) in item.Max ?? new Dictionary<string, ResourceQuantity>())
            {
                if (requests?.TryGetValue(name, out var request) != true)
                {
                    yield return $"maximum {name} usage per {item.Type} is {Quantities.Canonical(max)}.  No request is specified";
                }
                else if (Quantities.Compare(request, max) > 0)
                {
                    yield return $"maximum {name} usage per {item.Type} is {Quantities.Canonical(max)}, but request is {Quantities.Canonical(request)}";
                }
            }
        }
    }

    private static IEnumerable<string> Constraints(V1LimitRangeItem item, IDictionary<string, ResourceQuantity>? requests, IDictionary<string, ResourceQuantity>? limits)
    {
        foreach (var (name, min) in item.Min ?? new Dictionary<string, ResourceQuantity>())
        {
            if (Min(item.Type, name, min, requests, limits) is { } error)
            {
                yield return error;
            }
        }

        foreach (var (name, max) in item.Max ?? new Dictionary<string, ResourceQuantity>())
        {
            if (Max(item.Type, name, max, requests, limits) is { } error)
            {
                yield return error;
            }
        }

        foreach (var (name, ratio) in item.MaxLimitRequestRatio ?? new Dictionary<string, ResourceQuantity>())
        {
            if (Ratio(item.Type, name, ratio, requests, limits) is { } error)
            {
                yield return error;
            }
        }
    }

    private static string? Min(string type, string name, ResourceQuantity min, IDictionary<string, ResourceQuantity>? requests, IDictionary<string, ResourceQuantity>? limits)
    {
        var enforced = Quantities.Canonical(min);
        if (requests?.TryGetValue(name, out var request) != true)
        {
            return $"minimum {name} usage per {type} is {enforced}.  No request is specified";
        }

        if (Quantities.Compare(request, min) < 0)
        {
            return $"minimum {name} usage per {type} is {enforced}, but request is {Quantities.Canonical(request)}";
        }

        return limits?.TryGetValue(name, out var limit) == true && Quantities.Compare(limit, min) < 0
            ? $"minimum {name} usage per {type} is {enforced}, but limit is {Quantities.Canonical(limit)}"
            : null;
    }

    private static string? Max(string type, string name, ResourceQuantity max, IDictionary<string, ResourceQuantity>? requests, IDictionary<string, ResourceQuantity>? limits)
    {
        var enforced = Quantities.Canonical(max);
        if (limits?.TryGetValue(name, out var limit) != true)
        {
            return $"maximum {name} usage per {type} is {enforced}.  No limit is specified";
        }

        if (Quantities.Compare(limit, max) > 0)
        {
            return $"maximum {name} usage per {type} is {enforced}, but limit is {Quantities.Canonical(limit)}";
        }

        return requests?.TryGetValue(name, out var request) == true && Quantities.Compare(request, max) > 0
            ? $"maximum {name} usage per {type} is {enforced}, but request is {Quantities.Canonical(request)}"
            : null;
    }

    private static string? Ratio(string type, string name, ResourceQuantity ratio, IDictionary<string, ResourceQuantity>? requests, IDictionary<string, ResourceQuantity>? limits)
    {
        var enforced = Quantities.Canonical(ratio);
        if (requests?.TryGetValue(name, out var request) != true || Quantities.Value(request) == 0)
        {
            return $"{name} max limit to request ratio per {type} is {enforced}, but no request is specified or request is 0";
        }

        if (limits?.TryGetValue(name, out var limit) != true || Quantities.Value(limit) == 0)
        {
            return $"{name} max limit to request ratio per {type} is {enforced}, but no limit is specified or limit is 0";
        }

        var observed = Quantities.Value(limit) / Quantities.Value(request);
        return observed > Quantities.Value(ratio)
            ? $"{name} max limit to request ratio per {type} is {enforced}, but provided ratio is {observed.ToString("F6", CultureInfo.InvariantCulture)}"
            : null;
    }

    /// <summary>A pod's total per resource (the quota's count), in the format its containers state it.</summary>
    private static Dictionary<string, ResourceQuantity> PodTotal(V1Pod pod, Func<V1ResourceRequirements?, IDictionary<string, ResourceQuantity>?> pick)
    {
        var formats = new Dictionary<string, ResourceQuantity.SuffixFormat>(StringComparer.Ordinal);
        foreach (var container in (pod.Spec.Containers ?? []).Concat(pod.Spec.InitContainers ?? []))
        {
            foreach (var (name, quantity) in pick(container.Resources) ?? new Dictionary<string, ResourceQuantity>())
            {
                formats.TryAdd(name, quantity.Format);
            }
        }

        return Quota.QuotaUsage.PodTotal(pod, pick).ToDictionary(t => t.Key, t => new ResourceQuantity(t.Value, 0, formats[t.Key]), StringComparer.Ordinal);
    }
}
