using Flotilla.ApiServer.Admission.PodSecurity;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Admission.PodSecurity;

public sealed class PodUpdatesTests
{
    private const string Pod = """
        {"metadata":{"name":"p","labels":{"a":"b"}},"spec":{
          "initContainers":[{"name":"init","image":"init:1"}],
          "containers":[{"name":"c","image":"app:1"}],
          "ephemeralContainers":[{"name":"debug","image":"busybox:1"}]}}
        """;

    public static TheoryData<string, bool> Changes { get; } = new()
    {
        { "labels", false },
        { "annotations", false },
        { "status", false },
        { "activeDeadlineSeconds", false },
        { "container image", true },
        { "init container image", true },
        { "ephemeral container added", true },
        { "ephemeral container image", true },
        { "container added", true },
        { "container seccomp annotation", true },
        { "pod seccomp annotation", false },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void IsSignificant_OnlyForWhatAPodUpdateCanChangeInItsSecurity(string change, bool significant)
    {
        var old = Pods.Parse(Pod);
        var pod = Pods.With(Pod, p =>
        {
            switch (change)
            {
                case "labels": p.Metadata.Labels["a"] = "c"; break;
                case "annotations": p.Metadata.Annotations = new Dictionary<string, string> { ["x"] = "y" }; break;
                case "status": p.Status = new V1PodStatus { Phase = "Running" }; break;
                case "activeDeadlineSeconds": p.Spec.ActiveDeadlineSeconds = 10; break;
                case "container image": p.Spec.Containers[0].Image = "app:2"; break;
                case "init container image": p.Spec.InitContainers[0].Image = "init:2"; break;
                case "ephemeral container added": p.Spec.EphemeralContainers.Add(new V1EphemeralContainer { Name = "debug2", Image = "busybox:1" }); break;
                case "ephemeral container image": p.Spec.EphemeralContainers[0].Image = "busybox:2"; break;
                case "container added": p.Spec.Containers.Add(new V1Container { Name = "d", Image = "app:1" }); break;
                case "container seccomp annotation": p.Metadata.Annotations = new Dictionary<string, string> { ["container.seccomp.security.alpha.kubernetes.io/c"] = "unconfined" }; break;
                case "pod seccomp annotation": p.Metadata.Annotations = new Dictionary<string, string> { ["seccomp.security.alpha.kubernetes.io/pod"] = "unconfined" }; break;
            }
        });

        Assert.Equal(significant, PodUpdates.IsSignificant(pod, old));
    }
}
