using k8s;
using k8s.Models;

namespace Flotilla.Controllers.Tests.Integration;

/// <summary>The serviceaccounts controller and the root CA publisher against a real HTTPS API server.</summary>
public sealed class ServiceAccountsTests : Testing.ManagedCluster
{
    [Fact]
    public async Task ANewNamespace_GetsItsDefaultAccountAndTheRootCa_BothPutBackWhenDeletedOrChanged()
    {
        await Admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "fresh" } });

        var account = await EventuallyAsync(async () => (await Admin.CoreV1.ListNamespacedServiceAccountAsync("fresh")).Items, a => a.Any(x => x.Metadata.Name == "default"));
        var ca = await EventuallyAsync(async () => (await Admin.CoreV1.ListNamespacedConfigMapAsync("fresh")).Items, c => c.Any(x => x.Metadata.Name == "kube-root-ca.crt"));
        var root = ca.Single(c => c.Metadata.Name == "kube-root-ca.crt");
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", root.Data["ca.crt"], StringComparison.Ordinal);
        Assert.StartsWith("Contains a CA bundle that can be used to verify the kube-apiserver", root.Metadata.Annotations["kubernetes.io/description"], StringComparison.Ordinal);

        // A pod there runs as that account (admission finds it).
        await Admin.CoreV1.CreateNamespacedPodAsync(new V1Pod { Metadata = new V1ObjectMeta { Name = "p" }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox:1.35" }] } }, "fresh");

        var before = account.Single(a => a.Metadata.Name == "default").Metadata.Uid;
        await Admin.CoreV1.DeleteNamespacedServiceAccountAsync("default", "fresh");
        await EventuallyAsync(async () => (await Admin.CoreV1.ListNamespacedServiceAccountAsync("fresh")).Items, a => a.Any(x => x.Metadata.Name == "default" && x.Metadata.Uid != before));

        root.Data["ca.crt"] = "tampered";
        await Admin.CoreV1.ReplaceNamespacedConfigMapAsync(root, "kube-root-ca.crt", "fresh");
        await EventuallyAsync(() => Admin.CoreV1.ReadNamespacedConfigMapAsync("kube-root-ca.crt", "fresh"), c => c.Data["ca.crt"].StartsWith("-----BEGIN", StringComparison.Ordinal));
        await Admin.CoreV1.DeleteNamespacedConfigMapAsync("kube-root-ca.crt", "fresh");
        await EventuallyAsync(async () => (await Admin.CoreV1.ListNamespacedConfigMapAsync("fresh")).Items, c => c.Any(x => x.Metadata.Name == "kube-root-ca.crt"));
    }
}
