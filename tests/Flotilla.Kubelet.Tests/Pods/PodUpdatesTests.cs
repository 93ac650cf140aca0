using Flotilla.Kubelet.Pods;
using k8s.Models;

namespace Flotilla.Kubelet.Tests.Pods;

public sealed class PodUpdatesTests
{
    private static V1Pod Pod(string resourceVersion) => new()
    {
        Metadata = new V1ObjectMeta { Name = "p", Uid = "u", ResourceVersion = resourceVersion, Labels = new Dictionary<string, string> { ["app"] = "web" } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "a", Image = "busybox:1.35" }] },
        Status = new V1PodStatus { Phase = "Pending" },
    };

    [Fact]
    public void TheKubeletsOwnStatusWrites_DoNotWakeThePod()
    {
        var after = Pod("2");
        after.Status = new V1PodStatus { Phase = "Running", Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }] };

        Assert.False(PodUpdates.NeedsSync(Pod("1"), after));
    }

    [Fact]
    public void SpecMetadataDeletionAndOthersConditions_Do()
    {
        var image = Pod("2");
        image.Spec.Containers[0].Image = "busybox:1.36";
        var label = Pod("2");
        label.Metadata.Labels["app"] = "db";
        var deleted = Pod("2");
        deleted.Metadata.DeletionTimestamp = DateTime.UtcNow;
        var gate = Pod("2");
        gate.Status.Conditions = [new V1PodCondition { Type = "example.com/lb", Status = "True" }];

        Assert.All(new[] { image, label, deleted, gate }, after => Assert.True(PodUpdates.NeedsSync(Pod("1"), after)));
    }
}
