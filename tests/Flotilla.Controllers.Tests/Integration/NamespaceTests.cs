using k8s;
using k8s.Models;

namespace Flotilla.Controllers.Tests.Integration;

/// <summary>Deleting a namespace against a real API server with the controller manager: emptied, then gone.</summary>
public sealed class NamespaceTests : Testing.ManagedCluster
{
    [Fact]
    public async Task ATerminatingNamespace_IsEmptied_SaysWhatHoldsIt_AndGoesOnceNothingDoes()
    {
        await Admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "doomed" } });
        await Admin.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "plain" } }, "doomed");
        await Admin.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "held", Finalizers = ["example.com/hold"] } }, "doomed");
        await Admin.AppsV1.CreateNamespacedDeploymentAsync(
            new V1Deployment
            {
                Metadata = new V1ObjectMeta { Name = "web" },
                Spec = new V1DeploymentSpec
                {
                    Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                    Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox:1.35" }], AutomountServiceAccountToken = false } },
                },
            },
            "doomed");

        await Admin.CoreV1.DeleteNamespaceAsync("doomed");

        var held = await EventuallyAsync(
            () => Admin.CoreV1.ReadNamespaceAsync("doomed"),
            ns => ns.Status?.Conditions?.Any(c => c.Type == "NamespaceFinalizersRemaining" && c.Status == "True") == true);
        Assert.Equal("Terminating", held.Status.Phase);
        var conditions = held.Status.Conditions.ToDictionary(c => c.Type);
        Assert.Equal(("True", "SomeResourcesRemain", "Some resources are remaining: configmaps has 1 resource instances"), (conditions["NamespaceContentRemaining"].Status, conditions["NamespaceContentRemaining"].Reason, conditions["NamespaceContentRemaining"].Message));
        Assert.Equal("Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances", conditions["NamespaceFinalizersRemaining"].Message);
        Assert.Equal(("False", "ContentDeleted"), (conditions["NamespaceDeletionContentFailure"].Status, conditions["NamespaceDeletionContentFailure"].Reason));
        Assert.Empty((await Admin.AppsV1.ListNamespacedDeploymentAsync("doomed")).Items);
        Assert.Empty((await Admin.CoreV1.ListNamespacedPodAsync("doomed")).Items);

        await Admin.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "held", "doomed");

        await EventuallyAsync(async () => (await Admin.CoreV1.ListNamespaceAsync()).Items.Select(n => n.Metadata.Name).ToList(), names => !names.Contains("doomed"));
    }
}
