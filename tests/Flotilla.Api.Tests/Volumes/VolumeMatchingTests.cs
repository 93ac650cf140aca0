using Flotilla.Api.Volumes;
using k8s.Models;

namespace Flotilla.Api.Tests.Volumes;

public sealed class VolumeMatchingTests
{
    private static V1PersistentVolumeClaim Claim(string size = "1Gi", string storageClass = "", string[]? modes = null, V1LabelSelector? selector = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "data", NamespaceProperty = "team", Uid = "claim-uid" },
        Spec = new V1PersistentVolumeClaimSpec
        {
            StorageClassName = storageClass,
            AccessModes = modes ?? ["ReadWriteOnce"],
            Selector = selector,
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(size) } },
        },
    };

    private static V1PersistentVolume Volume(string name, string size, string storageClass = "", string phase = "Available", string[]? modes = null, string? node = null, V1ObjectReference? claimRef = null, Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Spec = new V1PersistentVolumeSpec
        {
            Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new(size) },
            StorageClassName = storageClass,
            AccessModes = modes ?? ["ReadWriteOnce", "ReadOnlyMany"],
            ClaimRef = claimRef,
            NodeAffinity = node is null ? null : new V1VolumeNodeAffinity
            {
                Required = new V1NodeSelector
                {
                    NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "kubernetes.io/hostname", OperatorProperty = "In", Values = [node] }] }],
                },
            },
        },
        Status = new V1PersistentVolumeStatus { Phase = phase },
    };

    private static V1Node Node(string name) => new() { Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = name } } };

    [Fact]
    public void TheSmallestAvailableVolumeBigEnough_OfTheClaimsClass_WithItsModes_Wins()
    {
        V1PersistentVolume[] volumes =
        [
            Volume("small", "500Mi"),
            Volume("big", "10Gi"),
            Volume("fits", "2Gi"),
            Volume("released", "1Gi", phase: "Released"),
            Volume("other-class", "1Gi", storageClass: "fast"),
            Volume("read-only", "1Gi", modes: ["ReadOnlyMany"]),
            Volume("taken", "1Gi", claimRef: new V1ObjectReference { Name = "other", NamespaceProperty = "team" }),
        ];
        Assert.Equal("fits", VolumeMatching.FindBest(Claim(), volumes, node: null, delayBinding: false)?.Metadata.Name);
        Assert.Null(VolumeMatching.FindBest(Claim("20Gi"), volumes, node: null, delayBinding: false));
    }

    [Fact]
    public void AVolumePreBoundToTheClaim_WinsOverASmallerOne_UnlessItsUidIsAnotherClaims()
    {
        var preBound = Volume("mine", "5Gi", claimRef: new V1ObjectReference { Name = "data", NamespaceProperty = "team" });
        Assert.Equal("mine", VolumeMatching.FindBest(Claim(), [Volume("fits", "1Gi"), preBound], null, false)?.Metadata.Name);

        var stale = Volume("stale", "5Gi", claimRef: new V1ObjectReference { Name = "data", NamespaceProperty = "team", Uid = "old-uid" });
        Assert.Equal("fits", VolumeMatching.FindBest(Claim(), [stale, Volume("fits", "1Gi")], null, false)?.Metadata.Name);
    }

    [Fact]
    public void TheClaimsSelector_FiltersByLabel()
    {
        var selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["tier"] = "gold" } };
        V1PersistentVolume[] volumes = [Volume("plain", "1Gi"), Volume("gold", "5Gi", labels: new() { ["tier"] = "gold" })];
        Assert.Equal("gold", VolumeMatching.FindBest(Claim(selector: selector), volumes, null, false)?.Metadata.Name);
    }

    [Fact]
    public void DelayedBinding_WithoutANode_MatchesOnlyAPreBoundVolume_WithANode_OnlyVolumesItAdmits()
    {
        V1PersistentVolume[] volumes = [Volume("on-a", "1Gi", node: "a"), Volume("on-b", "2Gi", node: "b")];
        Assert.Null(VolumeMatching.FindBest(Claim(), volumes, node: null, delayBinding: true));
        Assert.Equal("on-b", VolumeMatching.FindBest(Claim(), volumes, Node("b"), delayBinding: true)?.Metadata.Name);
        Assert.Null(VolumeMatching.FindBest(Claim(), volumes, Node("c"), delayBinding: true));

        var preBoundElsewhere = Volume("pre", "1Gi", node: "a", claimRef: new V1ObjectReference { Name = "data", NamespaceProperty = "team", Uid = "claim-uid" });
        Assert.Equal("pre", VolumeMatching.FindBest(Claim(), [preBoundElsewhere], node: null, delayBinding: true)?.Metadata.Name);
        Assert.Null(VolumeMatching.FindBest(Claim(), [preBoundElsewhere, volumes[1]], Node("b"), delayBinding: true));
    }

    [Fact]
    public void TheBetaClassAnnotation_WinsOverTheField()
    {
        var claim = Claim(storageClass: "fast");
        claim.Metadata.Annotations = new Dictionary<string, string> { ["volume.beta.kubernetes.io/storage-class"] = "slow" };
        Assert.Equal("slow", VolumeMatching.ClassOf(claim));
        Assert.Equal("fast", VolumeMatching.ClassOf(Claim(storageClass: "fast")));
    }
}
