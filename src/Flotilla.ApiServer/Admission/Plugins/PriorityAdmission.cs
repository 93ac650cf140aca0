using Flotilla.Api.Defaults;
using k8s.Models;

namespace Flotilla.ApiServer.Admission.Plugins;

/// <summary>
/// Upstream's Priority plugin: a pod's <c>priority</c> and <c>preemptionPolicy</c> come from its PriorityClass (or
/// the global default class); a pod naming a class that does not exist is refused; only one PriorityClass may be the
/// global default.
/// </summary>
public sealed class PriorityAdmission(AdmissionLookup lookup) : IMutatingAdmission, IValidatingAdmission
{
    private const string Group = "scheduling.k8s.io";

    public string Name => "Priority";

    public async ValueTask AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Is("", "pods") || request.Object is not V1Pod pod)
        {
            return;
        }

        if (request.Operation == AdmissionOperation.Update && request.OldObject is V1Pod old)
        {
            PodAdmissionDefaults.ApplyPriorityOnUpdate(pod, old);
            return;
        }

        if (request.Operation != AdmissionOperation.Create)
        {
            return;
        }

        // The named class is read from the store when the cache has not seen it yet; the default from the cache.
        var classes = lookup.List<V1PriorityClass>(Group, "priorityclasses", null).ToList();
        if (pod.Spec?.PriorityClassName is { Length: > 0 } name && classes.All(c => c.Metadata.Name != name) &&
            await lookup.GetAsync<V1PriorityClass>(null, name, cancellationToken) is { } fresh)
        {
            classes.Add(fresh);
        }

        if (PodAdmissionDefaults.ApplyPriorityOnCreate(pod, classes) is { } reason)
        {
            throw request.Forbidden(reason);
        }
    }

    public ValueTask ValidateAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Is(Group, "priorityclasses") && request.Operation is AdmissionOperation.Create or AdmissionOperation.Update &&
            request.Object is V1PriorityClass { GlobalDefault: true } wanted)
        {
            var other = lookup.List<V1PriorityClass>(Group, "priorityclasses", null)
                .FirstOrDefault(c => c.GlobalDefault == true && c.Metadata.Name != wanted.Metadata.Name);
            if (other is not null)
            {
                throw request.Forbidden($"PriorityClass {other.Metadata.Name} is already marked as default. Only one default can exist");
            }
        }

        return ValueTask.CompletedTask;
    }
}
