using Flotilla.Api.Defaults;
using k8s.Models;

namespace Flotilla.ApiServer.Admission.Plugins;

/// <summary>
/// Upstream's DefaultTolerationSeconds: a pod that does not already tolerate the not-ready or unreachable
/// NoExecute taint tolerates it for 300 s, so it is evicted five minutes after its node goes bad, not at once.
/// </summary>
public sealed class DefaultTolerationSeconds : IMutatingAdmission
{
    public string Name => "DefaultTolerationSeconds";

    public ValueTask AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Is("", "pods") && request.Operation is AdmissionOperation.Create or AdmissionOperation.Update && request.Object is V1Pod pod)
        {
            PodAdmissionDefaults.ApplyTolerationSeconds(pod);
        }

        return ValueTask.CompletedTask;
    }
}
