using Flotilla.ApiServer.Auth;
using Flotilla.ApiServer.Auth.Rbac;
using Flotilla.ApiServer.Auth.Rbac.Bootstrap;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Auth.Rbac.Bootstrap;

/// <summary>The default policy against facts from upstream's v1.32 golden files (bootstrappolicy/testdata).</summary>
public sealed class BootstrapPolicyTests
{
    private static readonly Dictionary<string, V1ClusterRole> Roles = BootstrapPolicy.ClusterRoles().ToDictionary(r => r.Metadata.Name);

    [Fact]
    public void ClusterRoles_AreUpstreamsSet_AndTheLocalPathProvisioners_MetricsServers_ClusterDns_Ingress_AndNodeProxiers()
    {
        Assert.Equal(31 + 33 + 1 + 1 + 2 + 1, Roles.Count);
        Assert.Contains("flotilla:node-proxier", Roles.Keys);
        Assert.Contains("system:controller:local-path-provisioner", Roles.Keys);
        Assert.Contains(ClusterPki.ClusterDnsUser, Roles.Keys);
        Assert.Contains(ClusterPki.IngressUser, Roles.Keys);
        Assert.Contains("system:aggregated-metrics-reader", Roles.Keys);
        foreach (var name in new[]
        {
            "cluster-admin", "admin", "edit", "view", "system:aggregate-to-admin", "system:aggregate-to-edit", "system:aggregate-to-view",
            "system:basic-user", "system:discovery", "system:public-info-viewer", "system:monitoring", "system:auth-delegator", "system:node",
            "system:node-proxier", "system:kube-scheduler", "system:volume-scheduler", "system:kube-controller-manager", "system:kube-dns",
            "system:node-bootstrapper", "system:heapster", "system:certificates.k8s.io:kubelet-serving-approver",
            "system:controller:clusterrole-aggregation-controller", "system:controller:replicaset-controller", "system:controller:namespace-controller",
        })
        {
            Assert.Contains(name, Roles.Keys);
        }
    }

    [Fact]
    public void EveryObject_CarriesTheBootstrapLabelAndAutoupdate()
    {
        IEnumerable<V1ObjectMeta> all = [.. Roles.Values.Select(r => r.Metadata), .. BootstrapPolicy.ClusterRoleBindings().Select(b => b.Metadata),
            .. DefaultNamespaceRoles.Roles().Select(r => r.Metadata), .. DefaultNamespaceRoles.Bindings().Select(b => b.Metadata)];

        Assert.All(all, meta =>
        {
            Assert.Equal("rbac-defaults", meta.Labels["kubernetes.io/bootstrapping"]);
            Assert.Equal("true", meta.Annotations[PolicyObjects.AutoUpdateAnnotation]);
        });
    }

    [Fact]
    public void Bindings_ReferToDefaultRoles_AndBindUpstreamsSubjects()
    {
        var bindings = BootstrapPolicy.ClusterRoleBindings().ToDictionary(b => b.Metadata.Name);
        Assert.All(bindings.Values, b => Assert.Contains(b.RoleRef.Name, Roles.Keys));
        Assert.Equal("Group:system:masters", Subject(bindings["cluster-admin"]));
        Assert.Equal("User:system:kube-scheduler", Subject(bindings["system:kube-scheduler"]));
        Assert.Equal("User:system:kube-scheduler", Subject(bindings["system:volume-scheduler"]));
        Assert.Equal("User:system:kube-controller-manager", Subject(bindings["system:kube-controller-manager"]));
        Assert.Equal("User:system:kube-proxy", Subject(bindings["system:node-proxier"]));
        Assert.Equal("ServiceAccount:kube-system/kube-dns", Subject(bindings["system:kube-dns"]));
        Assert.Equal("User:system:cluster-dns", Subject(bindings[ClusterPki.ClusterDnsUser]));
        Assert.Equal("ServiceAccount:kube-system/replicaset-controller", Subject(bindings["system:controller:replicaset-controller"]));
        Assert.Null(bindings["system:node"].Subjects);

        // The TLS bootstrap bindings, as kubeadm makes them for its join tokens' group.
        Assert.Equal("Group:system:bootstrappers:flotilla:default-node-token", Subject(bindings["flotilla:kubelet-bootstrap"]));
        Assert.Equal("system:node-bootstrapper", bindings["flotilla:kubelet-bootstrap"].RoleRef.Name);
        Assert.Equal("Group:system:bootstrappers:flotilla:default-node-token", Subject(bindings["flotilla:node-autoapprove-bootstrap"]));
        Assert.Equal("Group:system:nodes", Subject(bindings["flotilla:node-autoapprove-certificate-rotation"]));
        Assert.Equal("Group:system:nodes", Subject(bindings["flotilla:node-proxier"]));

        var namespaced = DefaultNamespaceRoles.Roles().Select(r => (r.Metadata.NamespaceProperty, r.Metadata.Name)).ToHashSet();
        Assert.All(DefaultNamespaceRoles.Bindings(), b => Assert.Contains((b.Metadata.NamespaceProperty, b.RoleRef.Name), namespaced));
    }

    [Fact]
    public void Rules_AreSortedAsUpstreamWritesThem()
    {
        var edit = Roles["system:aggregate-to-edit"].Rules;
        Assert.Equal(["create", "delete", "deletecollection", "patch", "update"], edit[2].Verbs);
        Assert.Equal(["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"], edit[2].Resources);
        Assert.Equal(22, Roles["system:node"].Rules.Count);
        Assert.Equal(18, Roles["system:kube-scheduler"].Rules.Count);
        Assert.Equal(["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"],
            Roles["system:discovery"].Rules.Single().NonResourceURLs);
        Assert.Equal("true", Roles["edit"].Metadata.Labels[PolicyObjects.AggregateToAdmin]);
        Assert.Equal("true", Roles["view"].Metadata.Labels[PolicyObjects.AggregateToEdit]);
        Assert.Empty(Roles["admin"].Rules ?? []);
    }

    private static string Subject(V1ClusterRoleBinding binding)
    {
        var s = Assert.Single(binding.Subjects);
        return s.Kind == "ServiceAccount" ? $"{s.Kind}:{s.NamespaceProperty}/{s.Name}" : $"{s.Kind}:{s.Name}";
    }
}
