using Flotilla.Api.Selectors;
using Flotilla.ApiServer.Auth;
using Flotilla.ApiServer.Auth.Node;
using k8s.Models;
using static Flotilla.ApiServer.Tests.Auth.Node.NodeObjects;

namespace Flotilla.ApiServer.Tests.Auth.Node;

/// <summary>Upstream's node_authorizer_test cases: what a kubelet may do, and the reason when it may not.</summary>
public sealed class NodeAuthorizerTests
{
    private static readonly UserInfo Node1 = new("system:node:n1", ["system:nodes", "system:authenticated"]);
    private static readonly NodeAuthorizer Authorizer = Build();

    public static TheoryData<string, string, string, string, string, string, string?, string, string> Cases() => new()
    {
        // description, verb, group, resource, subresource, namespace, name, expected decision, expected reason
        { "secret of its pod", "get", "", "secrets", "", "ns", "s", "Allow", "" },
        { "watch of its pod's secret by name", "watch", "", "secrets", "", "ns", "s", "Allow", "" },
        { "secret of another node's pod", "get", "", "secrets", "", "ns", "other", "NoOpinion", "no relationship found between node 'n1' and this object" },
        { "unknown secret", "get", "", "secrets", "", "ns", "nope", "NoOpinion", "no relationship found between node 'n1' and this object" },
        { "all secrets", "list", "", "secrets", "", "ns", "", "NoOpinion", "No Object name found" },
        { "write a secret", "update", "", "secrets", "", "ns", "s", "NoOpinion", "can only read resources of this type" },
        { "secret subresource", "get", "", "secrets", "x", "ns", "s", "NoOpinion", "cannot read subresource" },
        { "cluster-wide secret read", "get", "", "secrets", "", "", "s", "NoOpinion", "can only read namespaced object of this type" },
        { "configmap of its pod", "get", "", "configmaps", "", "ns", "cm", "Allow", "" },
        { "claim of its pod", "get", "", "persistentvolumeclaims", "", "ns", "c", "Allow", "" },
        { "list claims", "list", "", "persistentvolumeclaims", "", "ns", "", "NoOpinion", "can only get individual resources of this type" },
        { "claim status update", "patch", "", "persistentvolumeclaims", "status", "ns", "c", "Allow", "" },
        { "claim status read", "get", "", "persistentvolumeclaims", "status", "ns", "c", "NoOpinion", "can only get/update/patch this type" },
        { "volume of its pod's claim", "get", "", "persistentvolumes", "", "", "pv", "Allow", "" },
        { "volume subresource", "get", "", "persistentvolumes", "status", "", "pv", "NoOpinion", "cannot get subresource" },
        { "resource claim of its pod", "get", "resource.k8s.io", "resourceclaims", "", "ns", "rc", "Allow", "" },
        { "volume attachment nobody made", "get", "storage.k8s.io", "volumeattachments", "", "", "va", "NoOpinion", "no relationship found between node 'n1' and this object" },
        { "token for its pod's account", "create", "", "serviceaccounts", "token", "ns", "sa", "Allow", "" },
        { "token for another account", "create", "", "serviceaccounts", "token", "ns", "default", "NoOpinion", "no relationship found between node 'n1' and this object" },
        { "read an account", "get", "", "serviceaccounts", "", "ns", "sa", "NoOpinion", "can only create tokens for individual service accounts" },
        { "own lease", "update", "coordination.k8s.io", "leases", "", "kube-node-lease", "n1", "Allow", "" },
        { "create a lease (named at admission)", "create", "coordination.k8s.io", "leases", "", "kube-node-lease", "", "Allow", "" },
        { "another node's lease", "get", "coordination.k8s.io", "leases", "", "kube-node-lease", "n2", "NoOpinion", "can only access node lease with the same name as the requesting node" },
        { "lease elsewhere", "get", "coordination.k8s.io", "leases", "", "default", "n1", "NoOpinion", "can only access leases in the \"kube-node-lease\" system namespace" },
        { "list leases", "list", "coordination.k8s.io", "leases", "", "kube-node-lease", "", "NoOpinion", "can only get, create, update, patch, or delete a node lease" },
        { "own csinode", "get", "storage.k8s.io", "csinodes", "", "", "n1", "Allow", "" },
        { "another csinode", "get", "storage.k8s.io", "csinodes", "", "", "n2", "NoOpinion", "can only access CSINode with the same name as the requesting node" },
        { "own node", "get", "", "nodes", "", "", "n1", "Allow", "" },
        { "register a node", "create", "", "nodes", "", "", "n1", "Allow", "" },
        { "another node", "get", "", "nodes", "", "", "n2", "NoOpinion", "node 'n1' cannot read 'n2', only its own Node object" },
        { "all nodes", "list", "", "nodes", "", "", "", "NoOpinion", "node 'n1' cannot read all nodes, only its own Node object" },
        { "node status", "patch", "", "nodes", "status", "", "n2", "Allow", "" },
        { "delete a node", "delete", "", "nodes", "", "", "n1", "NoOpinion", "" },
        { "own pod", "get", "", "pods", "", "ns", "p", "Allow", "" },
        { "another node's pod", "get", "", "pods", "", "ns", "q", "NoOpinion", "no relationship found between node 'n1' and this object" },
        { "all pods", "list", "", "pods", "", "ns", "", "NoOpinion", "can only list/watch pods with spec.nodeName field selector" },
        { "watch one own pod by name", "watch", "", "pods", "", "ns", "p", "Allow", "" },
        { "mirror pod create", "create", "", "pods", "", "ns", "", "Allow", "" },
        { "pod status", "update", "", "pods", "status", "ns", "q", "Allow", "" },
        { "pod eviction", "create", "", "pods", "eviction", "ns", "q", "Allow", "" },
        { "pod binding", "create", "", "pods", "binding", "ns", "p", "NoOpinion", "" },
        { "pod update", "update", "", "pods", "", "ns", "p", "NoOpinion", "" },
        { "resource slice create (checked at admission)", "create", "resource.k8s.io", "resourceslices", "", "", "", "Allow", "" },
        { "resource slice nobody made", "get", "resource.k8s.io", "resourceslices", "", "", "x", "NoOpinion", "no relationship found between node 'n1' and this object" },
        { "all resource slices", "list", "resource.k8s.io", "resourceslices", "", "", "", "NoOpinion", "can only list/watch/deletecollection resourceslices with nodeName field selector" },
        { "events, by the node rules", "create", "", "events", "", "ns", "", "Allow", "" },
        { "deployments, no rule", "list", "apps", "deployments", "", "ns", "", "NoOpinion", "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Authorize_Node1(string description, string verb, string group, string resource, string subresource, string ns, string? name, string decision, string reason)
    {
        var result = Authorizer.Authorize(new Attributes(Node1, verb, true, group, resource, subresource, ns, name ?? ""));

        Assert.Equal((decision, reason), (result.Decision.ToString(), result.Reason));
        Assert.NotNull(description);
    }

    [Theory]
    [InlineData("spec.nodeName=n1", "Allow")]
    [InlineData("status.phase=Running,spec.nodeName=n1", "Allow")]
    [InlineData("spec.nodeName=n2", "NoOpinion")]
    [InlineData("spec.nodeName!=n1", "NoOpinion")]
    public void ListPods_WithNodeNameSelector_OnlyItsOwn(string selector, string decision)
    {
        var result = Authorizer.Authorize(new Attributes(Node1, "watch", true, "", "pods", FieldSelector: FieldSelector.Parse(selector)));

        Assert.Equal(decision, result.Decision.ToString());
    }

    [Fact]
    public void ListResourceSlices_WithItsNodeName_IsAllowed()
    {
        var result = Authorizer.Authorize(new Attributes(Node1, "list", true, "resource.k8s.io", "resourceslices", FieldSelector: FieldSelector.Parse("nodeName=n1")));

        Assert.Equal(AuthorizationDecision.Allow, result.Decision);
    }

    [Theory]
    [InlineData("jane", "developers")]
    [InlineData("system:node:n1", "developers")]
    [InlineData("n1", "system:nodes")]
    public void NotANode_NoOpinion_WithoutReason(string user, string group)
    {
        var result = Authorizer.Authorize(new Attributes(new UserInfo(user, [group]), "get", true, "", "secrets", Namespace: "ns", Name: "s"));

        Assert.Equal(AuthorizationResult.NoOpinion, result);
    }

    [Fact]
    public void NodeWithoutName_NoOpinion_UnknownNode()
    {
        var result = Authorizer.Authorize(new Attributes(new UserInfo("system:node:", ["system:nodes"]), "get", true, "", "secrets", Namespace: "ns", Name: "s"));

        Assert.Equal(AuthorizationResult.Undecided("unknown node for user \"system:node:\""), result);
    }

    [Fact]
    public void NonResourceRequest_ByTheNodeRules()
    {
        var allowed = Authorizer.Authorize(new Attributes(Node1, "get", false, Path: "/healthz"));
        var other = Authorizer.Authorize(new Attributes(Node1, "get", false, Path: "/metrics"));

        Assert.Equal(AuthorizationDecision.Allow, allowed.Decision);
        Assert.Equal(AuthorizationDecision.NoOpinion, other.Decision);
    }

    private static NodeAuthorizer Build()
    {
        var graph = new NodeGraph();
        graph.AddPod(Pod("p", "n1", "ns", spec: s =>
        {
            s.ServiceAccountName = "sa";
            s.Volumes = [SecretVolume("s"), ClaimVolume("c"), new V1Volume { Name = "cm", ConfigMap = new V1ConfigMapVolumeSource { Name = "cm" } }];
            s.ResourceClaims = [new V1PodResourceClaim { Name = "gpu", ResourceClaimName = "rc" }];
        }));
        graph.AddPod(Pod("q", "n2", "ns", uid: "uid-q", spec: s => s.Volumes = [SecretVolume("other")]));
        graph.AddPersistentVolume(Volume("pv", "c", "ns"));
        V1PolicyRule[] rules =
        [
            new() { ApiGroups = [""], Resources = ["events"], Verbs = ["create", "update", "patch"] },
            new() { NonResourceURLs = ["/healthz"], Verbs = ["get"] },
        ];
        return new NodeAuthorizer(graph, () => rules);
    }
}
