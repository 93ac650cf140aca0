using Flotilla.Controllers.DaemonSet;
using k8s.Models;

namespace Flotilla.Controllers.Tests.DaemonSet;

public sealed class DaemonNodesTests
{
    [Theory]
    [InlineData(null, null, true, true)]
    [InlineData("node.kubernetes.io/not-ready", "NoExecute", true, true)]             // tolerated by every daemon pod
    [InlineData("node.kubernetes.io/unschedulable", "NoSchedule", true, true)]
    [InlineData("node.kubernetes.io/network-unavailable", "NoSchedule", false, true)]  // only with host networking
    [InlineData("dedicated", "NoSchedule", false, true)]                               // no new pod; one there stays
    [InlineData("dedicated", "NoExecute", false, false)]
    [InlineData("dedicated", "PreferNoSchedule", true, true)]
    public void TaintsDecide_WithTheDaemonTolerations(string? key, string? effect, bool shouldRun, bool shouldContinue)
    {
        var node = Node("n1");
        if (key is not null)
        {
            node.Spec.Taints = [new V1Taint { Key = key, Effect = effect }];
        }

        Assert.Equal((shouldRun, shouldContinue), DaemonNodes.ShouldRun(node, DaemonSet()));
    }

    [Fact]
    public void TheNodeSelectorAndAffinityDecide()
    {
        var ds = DaemonSet();
        ds.Spec.Template.Spec.NodeSelector = new Dictionary<string, string> { ["disk"] = "ssd" };
        Assert.Equal((false, false), DaemonNodes.ShouldRun(Node("n1"), ds));
        var ssd = Node("n2");
        ssd.Metadata.Labels = new Dictionary<string, string> { ["disk"] = "ssd" };
        Assert.Equal((true, true), DaemonNodes.ShouldRun(ssd, ds));
    }

    [Fact]
    public void APodIsPinnedToItsNodeByAffinity_AndFoundThere()
    {
        var affinity = DaemonNodes.PinToNode(new V1Affinity { PodAntiAffinity = new V1PodAntiAffinity() }, "n7");
        var term = Assert.Single(affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms);
        var field = Assert.Single(term.MatchFields);
        Assert.Equal(("metadata.name", "In", "n7"), (field.Key, field.OperatorProperty, Assert.Single(field.Values)));
        Assert.NotNull(affinity.PodAntiAffinity);
        Assert.Equal("n7", DaemonNodes.TargetNode(new V1Pod { Spec = new V1PodSpec { Affinity = affinity } }));
        Assert.Equal("n8", DaemonNodes.TargetNode(new V1Pod { Spec = new V1PodSpec { NodeName = "n8", Affinity = affinity } }));
    }

    internal static V1Node Node(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = name } },
        Spec = new V1NodeSpec(),
    };

    internal static V1DaemonSet DaemonSet(string name = "agent") => new()
    {
        ApiVersion = "apps/v1",
        Kind = "DaemonSet",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "default",
            Uid = "uid-" + name,
            Generation = 1,
            ResourceVersion = "1",
            Annotations = new Dictionary<string, string> { [DaemonSetController.TemplateGenerationAnnotation] = "1" },
        },
        Spec = new V1DaemonSetSpec
        {
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            UpdateStrategy = new V1DaemonSetUpdateStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateDaemonSet { MaxUnavailable = 1, MaxSurge = 0 } },
            RevisionHistoryLimit = 10,
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox:1.35" }] },
            },
        },
        Status = new V1DaemonSetStatus(),
    };
}
