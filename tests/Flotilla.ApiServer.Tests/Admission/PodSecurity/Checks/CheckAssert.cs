using Flotilla.ApiServer.Admission.PodSecurity.Checks;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Admission.PodSecurity.Checks;

internal static class CheckAssert
{
    /// <summary>Runs <paramref name="check"/> on the pod spec (and annotations) and compares with the expected detail; null detail means allowed.</summary>
    public static void Result(CheckPod check, string specJson, string? reason, string? detail, IDictionary<string, string>? annotations = null)
    {
        var result = check(new V1ObjectMeta { Annotations = annotations }, Pods.Spec(specJson));
        if (detail is null)
        {
            Assert.True(result.Allowed, $"expected allowed, got {result.Reason} ({result.Detail})");
            return;
        }

        Assert.False(result.Allowed);
        Assert.Equal(reason, result.Reason);
        Assert.Equal(detail, result.Detail);
    }
}
