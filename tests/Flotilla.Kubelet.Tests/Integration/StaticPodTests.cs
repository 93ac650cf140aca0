using k8s;
using k8s.Models;

namespace Flotilla.Kubelet.Tests.Integration;

/// <summary>Static pods from a manifest directory, run by the kubelet itself and shown through mirror pods.</summary>
public sealed class StaticPodTests : Testing.KubeletCluster, IDisposable
{
    private readonly string _manifests = Directory.CreateTempSubdirectory("flotilla-static-").FullName;

    public StaticPodTests()
    {
        File.WriteAllText(Path.Combine(_manifests, "web.yaml"), """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
              namespace: kube-system
              labels: {tier: control-plane}
            spec:
              containers:
              - name: app
                image: busybox:1.35
                command: [sleep, infinity]
                lifecycle: {preStop: {exec: {command: [sh, -c, "sleep 10"]}}}
            """);
        File.WriteAllText(Path.Combine(_manifests, ".hidden.yaml"), "not: a pod");
    }

    protected override string? StaticPodPath => _manifests;

    public void Dispose() => Directory.Delete(_manifests, recursive: true);

    [Fact]
    public async Task AStaticPod_Runs_AndIsMirrored_AndItsMirrorComesBack()
    {
        var mirror = await EventuallyAsync(() => Admin.CoreV1.ReadNamespacedPodAsync("web-n1", "kube-system"), p => p.Status?.Phase == "Running");

        var annotations = mirror.Metadata.Annotations;
        Assert.Equal(annotations["kubernetes.io/config.hash"], annotations["kubernetes.io/config.mirror"]);
        Assert.Equal("file", annotations["kubernetes.io/config.source"]);
        Assert.Matches("^[0-9a-f]{32}$", annotations["kubernetes.io/config.hash"]);
        var owner = Assert.Single(mirror.Metadata.OwnerReferences);
        Assert.Equal(("Node", "n1", true), (owner.Kind, owner.Name, owner.Controller));
        Assert.Equal("n1", mirror.Spec.NodeName);
        var container = mirror.Status.ContainerStatuses.Single().ContainerID;

        await Admin.CoreV1.DeleteNamespacedPodAsync("web-n1", "kube-system");
        var again = await EventuallyAsync(() => Admin.CoreV1.ReadNamespacedPodAsync("web-n1", "kube-system"), p => p.Metadata.Uid != mirror.Metadata.Uid && p.Status?.Phase == "Running");
        Assert.Equal(container, again.Status.ContainerStatuses.Single().ContainerID);  // the static pod ran on
    }

    [Fact]
    public async Task RemovingTheManifest_StopsThePodGracefully_AndRemovesItsMirror()
    {
        await EventuallyAsync(() => Admin.CoreV1.ReadNamespacedPodAsync("web-n1", "kube-system"), p => p.Status?.Phase == "Running");

        File.Delete(Path.Combine(_manifests, "web.yaml"));

        await EventuallyAsync(async () => (await Admin.CoreV1.ListNamespacedPodAsync("kube-system")).Items.Count, n => n == 0);
        var stopping = await EventuallyAsync(() => EventsAsync("web-n1", "kube-system"), e => e.Contains(("Killing", "Stopping container app")));  // preStop first (1 s at 10x)
        Assert.NotEmpty(stopping);
        await EventuallyAsync(async () => (await Runtime.ListPodSandboxesAsync(CancellationToken.None)).Count, n => n == 0);
    }
}
