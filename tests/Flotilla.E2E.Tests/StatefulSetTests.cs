namespace Flotilla.E2E.Tests;

/// <summary>
/// StatefulSets with the real kubectl on <c>./flotilla up --runtime hollow --nodes 2</c>: pods <c>web-0..2</c> made
/// in order with stable hostnames, each with its claim <c>data-web-N</c> bound to a local-path volume on its node,
/// <c>rollout status</c>, <c>set image</c> rolled from the highest ordinal, <c>rollout undo</c>, and <c>scale</c>
/// down from the top, the claims kept; a deleted claim's volume goes.
/// </summary>
public sealed class StatefulSetTests() : OwnClusterTest("sts")
{
    [Fact]
    public async Task AStatefulSet_KeepsItsIdentities_RollsOut_RollsBack_AndScales()
    {
        await using var up = await UpAsync(2);

        var (code, _, stderr) = await FlotillaProcess.KubectlAsync(DataDir, Web, "apply", "-f", "-");
        Assert.True(code == 0, stderr);
        Assert.Contains("partitioned roll out complete: 3 new pods have been updated", await KubectlOkAsync("rollout", "status", "sts/web", "--timeout=60s"), StringComparison.Ordinal);
        Assert.Matches(@"^web\s+3/3\s+\d+s$", await KubectlOkAsync("get", "sts", "web", "--no-headers"));
        Assert.Equal("web-0/web-0.web web-1/web-1.web web-2/web-2.web", await KubectlOkAsync("get", "pods", "-l", "app=web", "--sort-by=.metadata.name", "-o", "jsonpath={range .items[*]}{.metadata.name}/{.spec.hostname}.{.spec.subdomain} {end}"));
        var created = await KubectlOkAsync("get", "events", "--field-selector", "involvedObject.kind=StatefulSet,reason=SuccessfulCreate", "--sort-by=.metadata.creationTimestamp", "-o", "jsonpath={.items[*].message}");
        Assert.Contains("create Pod web-0 in StatefulSet web successful", created, StringComparison.Ordinal);

        // Each pod's claim is bound to a volume the local-path provisioner made on the pod's node.
        Assert.Matches(@"^local-path \(default\)\s+flotilla.dev/local-path\s+Delete\s+WaitForFirstConsumer\s+false\s", await KubectlOkAsync("get", "storageclass", "--no-headers"));
        Assert.Equal("data-web-0/Bound data-web-1/Bound data-web-2/Bound", await KubectlOkAsync("get", "pvc", "--sort-by=.metadata.name", "-o", "jsonpath={range .items[*]}{.metadata.name}/{.status.phase} {end}"));
        var nodes = (await KubectlOkAsync("get", "pods", "-l", "app=web", "--sort-by=.metadata.name", "-o", "jsonpath={.items[*].spec.nodeName}")).Split(' ');
        var volumes = (await KubectlOkAsync("get", "pvc", "--sort-by=.metadata.name", "-o", "jsonpath={.items[*].spec.volumeName}")).Split(' ');
        for (var i = 0; i < 3; i++)
        {
            var pv = await KubectlOkAsync("get", "pv", volumes[i], "-o", "jsonpath={.status.phase} {.spec.claimRef.name} {.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]} {.spec.hostPath.path}");
            Assert.Equal($"Bound data-web-{i} {nodes[i]} {Path.Combine(DataDir, "storage")}/{volumes[i]}_default_data-web-{i}", pv);
        }

        await KubectlOkAsync("set", "image", "sts/web", "c=busybox:1.36");
        Assert.Contains("roll out complete", await KubectlOkAsync("rollout", "status", "sts/web", "--timeout=60s"), StringComparison.Ordinal);
        Assert.Equal("busybox:1.36 busybox:1.36 busybox:1.36", await KubectlOkAsync("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].spec.containers[0].image}"));
        var status = await KubectlOkAsync("get", "sts", "web", "-o", "jsonpath={.status.currentRevision} {.status.updateRevision} {.status.updatedReplicas}");
        var parts = status.Split(' ');
        Assert.Equal((parts[0], "3"), (parts[1], parts[2]));

        Assert.Contains("rolled back", await KubectlOkAsync("rollout", "undo", "sts/web"), StringComparison.Ordinal);
        await WaitForAsync(() => KubectlOkAsync("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].spec.containers[0].image}"), v => v == "busybox:1.35 busybox:1.35 busybox:1.35");

        // A pod's identity label removed by hand comes back.
        await KubectlOkAsync("label", "pod", "web-0", "statefulset.kubernetes.io/pod-name-");
        await WaitForAsync(() => KubectlOkAsync("get", "pod", "web-0", "-o", "jsonpath={.metadata.labels.statefulset\\.kubernetes\\.io/pod-name}"), v => v == "web-0");

        await KubectlOkAsync("scale", "sts/web", "--replicas=1");
        await WaitForAsync(() => KubectlOkAsync("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.name}"), v => v == "web-0");
        Assert.Matches(@"^web\s+1/1\s", await WaitForAsync(() => KubectlOkAsync("get", "sts", "web", "--no-headers"), v => v.Contains("1/1", StringComparison.Ordinal)));

        // Scaled-away pods keep their claims (whenScaled: Retain); a claim deleted takes its volume with it.
        Assert.Equal("data-web-0 data-web-1 data-web-2", await KubectlOkAsync("get", "pvc", "-o", "jsonpath={.items[*].metadata.name}"));
        await KubectlOkAsync("delete", "pvc", "data-web-2");
        await WaitForAsync(() => KubectlOkAsync("get", "pv", "-o", "jsonpath={.items[*].metadata.name}"), v => !v.Contains(volumes[2], StringComparison.Ordinal));

        up.Terminate();
        Assert.Equal(0, await up.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    private const string Web = """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: web}
        spec:
          serviceName: web
          replicas: 3
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: c, image: busybox:1.35, command: [sleep, "3600"], volumeMounts: [{name: data, mountPath: /data}]}]
          volumeClaimTemplates:
          - metadata: {name: data}
            spec:
              accessModes: [ReadWriteOnce]
              resources: {requests: {storage: 1Gi}}
        """;
}
