using Flotilla.Api.Errors;
using Flotilla.Api.Resources;
using Flotilla.ApiServer.Admission;
using Flotilla.ApiServer.Admission.Plugins;
using Flotilla.ApiServer.Auth;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Admission;

/// <summary>Upstream's NodeRestriction rules, each allowed and denied, with its messages.</summary>
public sealed class NodeRestrictionTests(NodeRestrictionTests.World world) : IClassFixture<NodeRestrictionTests.World>
{
    private static readonly UserInfo Node1 = new("system:node:n1", ["system:nodes", "system:authenticated"]);
    private readonly AdmissionWorld _world = world.Admission;
    private readonly NodeRestriction _plugin = new(world.Admission.Lookup);
    private readonly string _node1Uid = world.Node1Uid;

    /// <summary>Node n1 and a pod on n1 and on n2, stored once for every test (which only read them).</summary>
    public sealed class World : IAsyncLifetime
    {
        public AdmissionWorld Admission { get; private set; } = null!;

        public string Node1Uid { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Admission = await AdmissionWorld.StartAsync("ns");
            await Admission.AddAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "n1" } });
            await Admission.AddAsync(BoundPod("mine", "n1"));
            await Admission.AddAsync(BoundPod("theirs", "n2"));
            Node1Uid = (await Admission.Lookup.GetAsync<V1Node>(null, "n1", CancellationToken.None))!.Metadata.Uid;
        }

        public async Task DisposeAsync() => await Admission.DisposeAsync();
    }

    // Mirror pods.

    [Fact]
    public async Task MirrorPod_BoundToItself_OwnedByItsNode_IsAllowed()
    {
        await AllowedAsync(Create(MirrorPod()));
    }

    public static TheoryData<string, Action<V1Pod>, string> RefusedMirrorPods() => new()
    {
        { "no annotation", p => p.Metadata.Annotations = null, "pod does not have \"kubernetes.io/config.mirror\" annotation, node \"n1\" can only create mirror pods" },
        { "other node", p => p.Spec.NodeName = "n2", "node \"n1\" can only create pods with spec.nodeName set to itself" },
        { "no owner", p => p.Metadata.OwnerReferences = null, "node \"n1\" can only create pods with an owner reference set to itself" },
        { "two owners", p => p.Metadata.OwnerReferences.Add(p.Metadata.OwnerReferences[0]), "node \"n1\" can only create pods with a single owner reference set to itself" },
        { "owned by another node", p => p.Metadata.OwnerReferences[0].Name = "n2", "node \"n1\" can only create pods with an owner reference set to itself" },
        { "owned by a ReplicaSet", p => p.Metadata.OwnerReferences[0].Kind = "ReplicaSet", "node \"n1\" can only create pods with an owner reference set to itself" },
        { "not controller", p => p.Metadata.OwnerReferences[0].Controller = false, "node \"n1\" can only create pods with a controller owner reference set to itself" },
        { "blockOwnerDeletion", p => p.Metadata.OwnerReferences[0].BlockOwnerDeletion = true, "node \"n1\" must not set blockOwnerDeletion on an owner reference" },
        { "stale node uid", p => p.Metadata.OwnerReferences[0].Uid = "old", "node n1 UID mismatch: expected old got " },
        { "service account", p => p.Spec.ServiceAccountName = "default", "node \"n1\" can not create pods that reference a service account" },
        { "secret volume", p => p.Spec.Volumes = [new V1Volume { Name = "s", Secret = new V1SecretVolumeSource { SecretName = "s" } }], "node \"n1\" can not create pods that reference secrets" },
        { "secret env", p => p.Spec.Containers[0].EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "s" } }], "node \"n1\" can not create pods that reference secrets" },
        { "configmap env", p => p.Spec.Containers[0].EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "c" } }], "node \"n1\" can not create pods that reference configmaps" },
        { "cluster trust bundle", p => p.Spec.Volumes = [new V1Volume { Name = "b", Projected = new V1ProjectedVolumeSource { Sources = [new V1VolumeProjection { ClusterTrustBundle = new V1ClusterTrustBundleProjection { Name = "b", Path = "b" } }] } }], "node \"n1\" can not create pods that reference clustertrustbundles" },
        { "claim", p => p.Spec.Volumes = [new V1Volume { Name = "d", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "d" } }], "node \"n1\" can not create pods that reference persistentvolumeclaims" },
    };

    [Theory]
    [MemberData(nameof(RefusedMirrorPods))]
    public async Task MirrorPod_Refused(string description, Action<V1Pod> change, string reason)
    {
        var pod = MirrorPod();
        change(pod);
        var request = Create(pod);

        var e = await Assert.ThrowsAsync<StatusException>(() => _plugin.ValidateAsync(request, CancellationToken.None).AsTask());

        Assert.Equal(403, e.Code);
        Assert.StartsWith($"pods \"static-web-n1\" is forbidden: {reason}", e.Message, StringComparison.Ordinal);
        Assert.NotNull(description);
    }

    [Fact]
    public async Task MirrorPod_OfAnUnregisteredNode_IsNotFound()
    {
        var pod = MirrorPod();
        var request = Create(pod, new UserInfo("system:node:n3", ["system:nodes"]));
        pod.Spec.NodeName = "n3";
        pod.Metadata.OwnerReferences[0].Name = "n3";

        var e = await Assert.ThrowsAsync<StatusException>(() => _plugin.ValidateAsync(request, CancellationToken.None).AsTask());

        Assert.Equal((404, "nodes \"n3\" not found"), (e.Code, e.Message));
    }

    // Pods: delete, update, status, other subresources.

    [Fact]
    public async Task DeletePod_OnlyItsOwn()
    {
        await AllowedAsync(_world.Request(AdmissionOperation.Delete, null, BoundPod("mine", "n1"), user: Node1));
        await RefusedAsync(_world.Request(AdmissionOperation.Delete, null, BoundPod("theirs", "n2"), user: Node1), "node \"n1\" can only delete pods with spec.nodeName set to itself");
    }

    [Fact]
    public async Task UpdatePod_IsRefused()
    {
        await RefusedAsync(_world.Request(AdmissionOperation.Update, BoundPod("mine", "n1"), BoundPod("mine", "n1"), user: Node1),
            "unexpected operation \"UPDATE\", node \"n1\" can only create and delete mirror pods");
    }

    [Fact]
    public async Task PodStatus_OnlyOfItsOwnPods_AndNotLabels()
    {
        await AllowedAsync(_world.Request(AdmissionOperation.Update, BoundPod("mine", "n1"), BoundPod("mine", "n1"), "status", Node1));
        await RefusedAsync(_world.Request(AdmissionOperation.Update, BoundPod("theirs", "n2"), BoundPod("theirs", "n2"), "status", Node1),
            "node \"n1\" can only update pod status for pods with spec.nodeName set to itself");

        var relabelled = BoundPod("mine", "n1");
        relabelled.Metadata.Labels = new Dictionary<string, string> { ["app"] = "other" };
        await RefusedAsync(_world.Request(AdmissionOperation.Update, relabelled, BoundPod("mine", "n1"), "status", Node1), "node \"n1\" cannot update labels through pod status");

        var claimed = BoundPod("mine", "n1");
        claimed.Status = new V1PodStatus { ResourceClaimStatuses = [new V1PodResourceClaimStatus { Name = "gpu", ResourceClaimName = "stolen" }] };
        await RefusedAsync(_world.Request(AdmissionOperation.Update, claimed, BoundPod("mine", "n1"), "status", Node1), "node \"n1\" cannot update resource claim statues");
    }

    [Fact]
    public async Task PodBinding_IsRefused()
    {
        await RefusedAsync(_world.Request(AdmissionOperation.Update, BoundPod("mine", "n1"), BoundPod("mine", "n1"), "binding", Node1),
            "unexpected pod subresource \"binding\", only 'status' and 'eviction' are allowed");
    }

    [Fact]
    public async Task Eviction_OnlyOfItsOwnPods()
    {
        await AllowedAsync(Evict("mine"));
        await RefusedAsync(Evict("theirs"), "node n1 can only evict pods with spec.nodeName set to itself", "theirs");
        var e = await Assert.ThrowsAsync<StatusException>(() => _plugin.ValidateAsync(Evict("gone"), CancellationToken.None).AsTask());
        Assert.Equal(404, e.Code);
    }

    // Nodes.

    [Fact]
    public async Task Node_CreateItself_WithKubeletLabels()
    {
        var node = Node("n1", new Dictionary<string, string>
        {
            ["kubernetes.io/hostname"] = "n1",
            ["kubernetes.io/os"] = "linux",
            ["node.kubernetes.io/instance-type"] = "small",
            ["topology.kubernetes.io/zone"] = "a",
            ["kubelet.kubernetes.io/x"] = "1",
            ["sub.node.kubernetes.io/y"] = "2",
            ["team"] = "infra",
            ["example.com/rack"] = "r1",
        });

        await AllowedAsync(_world.Request(AdmissionOperation.Create, node, user: Node1));
    }

    [Fact]
    public async Task Node_CreateWithRestrictedLabels_ListsThemSorted()
    {
        var node = Node("n1", new Dictionary<string, string>
        {
            ["node-restriction.kubernetes.io/trusted"] = "yes",
            ["kubernetes.io/role"] = "master",
            ["k8s.io/x"] = "1",
            ["foo.k8s.io/y"] = "1",
            ["kubernetes.io/hostname"] = "n1",
        });

        await RefusedAsync(_world.Request(AdmissionOperation.Create, node, user: Node1),
            "node \"n1\" is not allowed to set the following labels: foo.k8s.io/y, k8s.io/x, kubernetes.io/role, node-restriction.kubernetes.io/trusted", resource: "nodes");
    }

    [Fact]
    public async Task Node_AnotherOne_IsRefused()
    {
        await RefusedAsync(_world.Request(AdmissionOperation.Create, Node("n2"), user: Node1), "node \"n1\" is not allowed to modify node \"n2\"", resource: "nodes");
        await RefusedAsync(_world.Request(AdmissionOperation.Update, Node("n2"), Node("n2"), "status", Node1), "node \"n1\" is not allowed to modify node \"n2\"", resource: "nodes");
        await RefusedAsync(_world.Request(AdmissionOperation.Delete, null, Node("n2"), user: Node1), "node \"n1\" is not allowed to modify node \"n2\"", resource: "nodes");
    }

    [Fact]
    public async Task Node_UpdateItself_ButNotItsTaints_NorRestrictedLabels()
    {
        var old = Node("n1", new Dictionary<string, string> { ["kubernetes.io/role"] = "worker" });
        old.Spec = new V1NodeSpec { Taints = [new V1Taint { Key = "dedicated", Value = "db", Effect = "NoSchedule" }] };

        var status = Node("n1", new Dictionary<string, string> { ["kubernetes.io/role"] = "worker", ["node.kubernetes.io/ready"] = "1" });
        status.Spec = new V1NodeSpec { Taints = [new V1Taint { Key = "dedicated", Value = "db", Effect = "NoSchedule" }] };
        status.Status = new V1NodeStatus { Phase = "Running" };
        await AllowedAsync(_world.Request(AdmissionOperation.Update, status, old, "status", Node1));

        var untainted = Node("n1", new Dictionary<string, string> { ["kubernetes.io/role"] = "worker" });
        await RefusedAsync(_world.Request(AdmissionOperation.Update, untainted, old, user: Node1), "node \"n1\" is not allowed to modify taints", resource: "nodes");

        var relabelled = Node("n1");
        relabelled.Spec = old.Spec;
        await RefusedAsync(_world.Request(AdmissionOperation.Update, relabelled, old, user: Node1), "is not allowed to modify labels: kubernetes.io/role", resource: "nodes");

        var configured = Node("n1", new Dictionary<string, string> { ["kubernetes.io/role"] = "worker" });
        configured.Spec = new V1NodeSpec { Taints = old.Spec.Taints, ConfigSource = new V1NodeConfigSource { ConfigMap = new V1ConfigMapNodeConfigSource { Name = "c", NamespaceProperty = "kube-system", KubeletConfigKey = "k" } } };
        await RefusedAsync(_world.Request(AdmissionOperation.Update, configured, old, user: Node1), "node \"n1\" is not allowed to update configSource to a new non-nil configSource", resource: "nodes");
    }

    // Leases, claims, tokens, CSINodes.

    [Fact]
    public async Task Lease_OnlyItsOwn_InKubeNodeLease()
    {
        await AllowedAsync(_world.Request(AdmissionOperation.Create, Lease("kube-node-lease", "n1"), user: Node1));
        await AllowedAsync(_world.Request(AdmissionOperation.Update, Lease("kube-node-lease", "n1"), Lease("kube-node-lease", "n1"), user: Node1));
        await RefusedAsync(_world.Request(AdmissionOperation.Create, Lease("kube-node-lease", "n2"), user: Node1), "can only access node lease with the same name as the requesting node", "n2", "leases.coordination.k8s.io");
        await RefusedAsync(_world.Request(AdmissionOperation.Delete, null, Lease("kube-node-lease", "n2"), user: Node1), "can only access node lease with the same name as the requesting node", "n2", "leases.coordination.k8s.io");
        await RefusedAsync(_world.Request(AdmissionOperation.Create, Lease("default", "n1"), user: Node1), "can only access leases in the \"kube-node-lease\" system namespace", "n1", "leases.coordination.k8s.io");
    }

    [Fact]
    public async Task ClaimStatus_OnlyCapacityConditionsAndAllocations()
    {
        var old = Claim();
        var resized = Claim();
        resized.Status = new V1PersistentVolumeClaimStatus { Phase = "Bound", Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new("2Gi") }, Conditions = [new V1PersistentVolumeClaimCondition { Type = "Resizing", Status = "True" }] };
        await AllowedAsync(_world.Request(AdmissionOperation.Update, resized, old, "status", Node1));

        var relabelled = Claim();
        relabelled.Metadata.Labels = new Dictionary<string, string> { ["x"] = "y" };
        await RefusedAsync(_world.Request(AdmissionOperation.Update, relabelled, old, "status", Node1), "node \"n1\" is not allowed to update fields other than status.quantity and status.conditions", "data", "persistentvolumeclaims");
        await RefusedAsync(_world.Request(AdmissionOperation.Update, resized, old, user: Node1), "may only update PVC status", "data", "persistentvolumeclaims");
    }

    [Fact]
    public async Task TokenRequest_OnlyBoundToItsOwnPods()
    {
        var mine = (await _world.Lookup.GetAsync<V1Pod>("ns", "mine", CancellationToken.None))!;
        var theirs = (await _world.Lookup.GetAsync<V1Pod>("ns", "theirs", CancellationToken.None))!;
        await AllowedAsync(Token(new V1BoundObjectReference { ApiVersion = "v1", Kind = "Pod", Name = "mine", Uid = mine.Metadata.Uid }));
        await RefusedAsync(Token(null), "node requested token not bound to a pod", "default", "serviceaccounts");
        await RefusedAsync(Token(new V1BoundObjectReference { ApiVersion = "v1", Kind = "Secret", Name = "s", Uid = "u" }), "node requested token not bound to a pod", "default", "serviceaccounts");
        await RefusedAsync(Token(new V1BoundObjectReference { ApiVersion = "v1", Kind = "Pod", Name = "mine" }), "node requested token with a pod binding without a uid", "default", "serviceaccounts");
        await RefusedAsync(Token(new V1BoundObjectReference { ApiVersion = "v1", Kind = "Pod", Name = "mine", Uid = "recreated" }),
            "the UID in the bound object reference (recreated) does not match the UID in record. The object might have been deleted and then recreated", "default", "serviceaccounts");
        await RefusedAsync(Token(new V1BoundObjectReference { ApiVersion = "v1", Kind = "Pod", Name = "theirs", Uid = theirs.Metadata.Uid }),
            "node requested token bound to a pod scheduled on a different node", "default", "serviceaccounts");
    }

    [Fact]
    public async Task CsiNode_OnlyItsOwn()
    {
        // Not served by Flotilla yet; the rule is upstream's all the same.
        var csiNodes = ResourceCatalog.Default.Find("", "v1", "nodes")! with { Group = "storage.k8s.io", Plural = "csinodes", Kind = "CSINode" };
        AdmissionRequest Request(string name) => new() { Operation = AdmissionOperation.Create, Resource = csiNodes, Object = new V1CSINode { Metadata = new V1ObjectMeta { Name = name } }, Name = name, User = Node1 };

        await AllowedAsync(Request("n1"));
        await RefusedAsync(Request("n2"), "can only access CSINode with the same name as the requesting node", "n2", "csinodes.storage.k8s.io");
    }

    // Who is restricted.

    [Fact]
    public async Task OtherUsers_AreNotRestricted()
    {
        await AllowedAsync(_world.Request(AdmissionOperation.Update, BoundPod("theirs", "n2"), BoundPod("theirs", "n2"), user: new UserInfo("jane", ["system:authenticated"])));
        await AllowedAsync(_world.Request(AdmissionOperation.Update, BoundPod("theirs", "n2"), BoundPod("theirs", "n2"), user: new UserInfo("system:node:n1", ["system:authenticated"])));
    }

    [Fact]
    public async Task NodeWithoutName_IsRefused()
    {
        await RefusedAsync(_world.Request(AdmissionOperation.Update, BoundPod("mine", "n1"), BoundPod("mine", "n1"), "status", new UserInfo("system:node:", ["system:nodes"])),
            "could not determine node from user \"system:node:\"");
    }

    private async Task AllowedAsync(AdmissionRequest request) => await _plugin.ValidateAsync(request, CancellationToken.None);

    private async Task RefusedAsync(AdmissionRequest request, string reason, string? name = null, string resource = "pods")
    {
        var e = await Assert.ThrowsAsync<StatusException>(() => _plugin.ValidateAsync(request, CancellationToken.None).AsTask());
        Assert.Equal((403, $"{resource} \"{name ?? request.Name}\" is forbidden: {reason}"), (e.Code, e.Message));
    }

    private AdmissionRequest Create(V1Pod pod, UserInfo? user = null) => _world.Request(AdmissionOperation.Create, pod, user: user ?? Node1);

    private V1Pod MirrorPod() => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "static-web-n1",
            NamespaceProperty = "ns",
            Annotations = new Dictionary<string, string> { ["kubernetes.io/config.mirror"] = "hash" },
            OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Node", Name = "n1", Uid = _node1Uid, Controller = true }],
        },
        Spec = new V1PodSpec { NodeName = "n1", Containers = [new V1Container { Name = "web", Image = "busybox:1.35" }] },
    };

    private static V1Pod BoundPod(string name, string node) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ns", Labels = new Dictionary<string, string> { ["app"] = name } },
        Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "c", Image = "busybox:1.35" }] },
    };

    private static V1Node Node(string name, Dictionary<string, string>? labels = null) => new() { Metadata = new V1ObjectMeta { Name = name, Labels = labels } };

    private static V1Lease Lease(string ns, string name) => new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns } };

    private static V1PersistentVolumeClaim Claim() => new()
    {
        Metadata = new V1ObjectMeta { Name = "data", NamespaceProperty = "ns", ResourceVersion = "5" },
        Spec = new V1PersistentVolumeClaimSpec { AccessModes = ["ReadWriteOnce"] },
        Status = new V1PersistentVolumeClaimStatus { Phase = "Bound" },
    };

    private AdmissionRequest Evict(string pod) => new()
    {
        Operation = AdmissionOperation.Create,
        Resource = ResourceCatalog.Default.Find("", "v1", "pods")!,
        Subresource = "eviction",
        Namespace = "ns",
        Name = pod,
        Object = new V1Eviction { Metadata = new V1ObjectMeta { Name = pod, NamespaceProperty = "ns" } },
        User = Node1,
    };

    private static AdmissionRequest Token(V1BoundObjectReference? bound) => new()
    {
        Operation = AdmissionOperation.Create,
        Resource = ResourceCatalog.Default.Find("", "v1", "serviceaccounts")!,
        Subresource = "token",
        Namespace = "ns",
        Name = "default",
        Object = new Authenticationv1TokenRequest { Metadata = new V1ObjectMeta { Name = "default", NamespaceProperty = "ns" }, Spec = new V1TokenRequestSpec { Audiences = ["api"], BoundObjectRef = bound } },
        User = Node1,
    };
}
