using k8s.Models;
using static Flotilla.ApiServer.Auth.Rbac.Bootstrap.PolicyObjects;

namespace Flotilla.ApiServer.Auth.Rbac.Bootstrap;

/// <summary>
/// Upstream's default ClusterRoleBindings (bootstrappolicy/policy.go ClusterRoleBindings): each binds the ClusterRole
/// of its own name to the identity of the component or group it serves.
/// </summary>
public static class DefaultClusterRoleBindings
{
    public static IEnumerable<V1ClusterRoleBinding> All()
    {
        yield return ClusterRoleBinding("cluster-admin", Group(Authorizer.MastersGroup));
        yield return ClusterRoleBinding("system:monitoring", Group("system:monitoring"));
        yield return ClusterRoleBinding("system:discovery", Group("system:authenticated"));
        yield return ClusterRoleBinding("system:basic-user", Group("system:authenticated"));
        yield return ClusterRoleBinding("system:public-info-viewer", Group("system:authenticated"), Group("system:unauthenticated"));
        yield return ClusterRoleBinding("system:node-proxier", User("system:kube-proxy"));
        yield return ClusterRoleBinding("system:kube-controller-manager", User("system:kube-controller-manager"));
        yield return ClusterRoleBinding("system:kube-dns", ServiceAccount("kube-system", "kube-dns"));
        yield return ClusterRoleBinding("system:kube-scheduler", User("system:kube-scheduler"));
        yield return ClusterRoleBinding("system:volume-scheduler", User("system:kube-scheduler"));

        // Kept without subjects since the Node authorizer (v1.7) decides for nodes.
        yield return ClusterRoleBinding("system:node");
        yield return ClusterRoleBinding("system:service-account-issuer-discovery", Group("system:serviceaccounts"));

        // Not upstream's bootstrap policy but its installers' (kubeadm, k3s): the API server's own identity towards
        // kubelets may use their whole API (logs, node proxy).
        yield return ClusterRoleBinding("kube-apiserver-kubelet-admin", "system:kubelet-api-admin", User(ClusterPki.KubeletClientUser));
        yield return ClusterRoleBinding(ClusterPki.ClusterDnsUser, User(ClusterPki.ClusterDnsUser));
        yield return ClusterRoleBinding(ClusterPki.IngressUser, User(ClusterPki.IngressUser));

        // kubeadm's TLS bootstrap bindings: an agent's join token may ask for its node's client certificate, which the
        // csrapproving controller then approves; a node may renew its own.
        yield return ClusterRoleBinding("flotilla:kubelet-bootstrap", "system:node-bootstrapper", Group(Api.Bootstrap.BootstrapToken.NodeTokenGroup));
        yield return ClusterRoleBinding("flotilla:node-autoapprove-bootstrap", "system:certificates.k8s.io:certificatesigningrequests:nodeclient",
            Group(Api.Bootstrap.BootstrapToken.NodeTokenGroup));
        yield return ClusterRoleBinding("flotilla:node-autoapprove-certificate-rotation", "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
            Group(Api.Certificates.CertificateRequests.NodesGroup));

        // Every node runs its service proxy under its own identity (k3s gives agents a kube-proxy certificate instead).
        yield return ClusterRoleBinding("flotilla:node-proxier", Group(Api.Certificates.CertificateRequests.NodesGroup));
    }
}
