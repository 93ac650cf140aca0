namespace Flotilla.E2E.Tests;

/// <summary>
/// The ReplicaSet controller inside <c>./flotilla up</c>, driven by the real kubectl: create, scale, describe. No node
/// runs the pods yet, so they stay Pending, as on a Kubernetes cluster without nodes.
/// </summary>
public sealed class ReplicaSetTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private const string ReplicaSet = """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: e2e-rs}
        spec:
          replicas: 3
          selector: {matchLabels: {app: e2e-rs}}
          template:
            metadata: {labels: {app: e2e-rs}}
            spec: {containers: [{name: c, image: busybox:1.35}]}
        """;

    [Fact]
    public async Task CreateScaleAndDescribe()
    {
        await cluster.KubectlOkInputAsync(ReplicaSet, "apply", "-f", "-");
        await WaitForPodsAsync(3);
        var table = await cluster.KubectlOkAsync("get", "rs", "e2e-rs");
        Assert.Matches(@"e2e-rs\s+3\s+3\s+0\s", table);

        Assert.Contains("replicaset.apps/e2e-rs scaled", await cluster.KubectlOkAsync("scale", "rs", "e2e-rs", "--replicas=1"), StringComparison.Ordinal);
        await WaitForPodsAsync(1);

        var describe = await cluster.KubectlOkAsync("describe", "rs", "e2e-rs");
        Assert.Contains("Replicas:     1 current / 1 desired", describe, StringComparison.Ordinal);
        Assert.Contains("Pods Status:  0 Running / 1 Waiting / 0 Succeeded / 0 Failed", describe, StringComparison.Ordinal);
        Assert.Matches(@"SuccessfulCreate\s+\S+\s+replicaset-controller\s+Created pod: e2e-rs-", describe);
        Assert.Matches(@"SuccessfulDelete\s+\S+\s+replicaset-controller\s+Deleted pod: e2e-rs-", describe);

        Assert.Contains("Pending", await cluster.KubectlOkAsync("get", "pods", "-l", "app=e2e-rs"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("background", 0)]
    [InlineData("foreground", 0)]
    [InlineData("orphan", 2)]
    public async Task DeleteCascades_AsTheFlagSays(string cascade, int podsLeft)
    {
        var name = "e2e-" + cascade;
        await cluster.KubectlOkInputAsync(ReplicaSet.Replace("e2e-rs", name, StringComparison.Ordinal).Replace("replicas: 3", "replicas: 2", StringComparison.Ordinal), "apply", "-f", "-");
        await WaitForPodsAsync(2, name);

        Assert.Contains($"replicaset.apps \"{name}\" deleted", await cluster.KubectlOkAsync("delete", "rs", name, "--cascade=" + cascade), StringComparison.Ordinal);

        await WaitForPodsAsync(podsLeft, name);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await cluster.KubectlOkAsync("get", "rs", name, "--ignore-not-found", "-o", "name") is { Length: > 0 } left)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{left} is still there");
            await Task.Delay(200);
        }

        if (podsLeft > 0)
        {
            Assert.Equal(string.Empty, (await cluster.KubectlOkAsync("get", "pods", "-l", "app=" + name, "-o", "jsonpath={.items[*].metadata.ownerReferences}")).Trim().Replace("[]", string.Empty, StringComparison.Ordinal).Trim());
        }
    }

    [Fact]
    public async Task ReplicationControllers_AreKeptToo()
    {
        const string Rc = """
            apiVersion: v1
            kind: ReplicationController
            metadata: {name: e2e-rc}
            spec:
              replicas: 2
              template:
                metadata: {labels: {app: e2e-rc}}
                spec: {containers: [{name: c, image: busybox:1.35}]}
            """;
        await cluster.KubectlOkInputAsync(Rc, "apply", "-f", "-");
        await WaitForPodsAsync(2, "e2e-rc");
        Assert.Matches(@"e2e-rc\s+2\s+2\s+0\s", await cluster.KubectlOkAsync("get", "rc", "e2e-rc"));

        Assert.Contains("replicationcontroller/e2e-rc scaled", await cluster.KubectlOkAsync("scale", "rc", "e2e-rc", "--replicas=3"), StringComparison.Ordinal);
        await WaitForPodsAsync(3, "e2e-rc");
        Assert.Matches(@"SuccessfulCreate\s+\S+\s+replication-controller\s+Created pod: e2e-rc-", await cluster.KubectlOkAsync("describe", "rc", "e2e-rc"));
    }

    private async Task WaitForPodsAsync(int count, string app = "e2e-rs")
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            // Unscheduled pods go at once when deleted (no kubelet has to stop them).
            var names = await cluster.KubectlOkAsync("get", "pods", "-l", "app=" + app, "-o", "jsonpath={.items[*].metadata.name}");
            if (names.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == count)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{count} pods wanted, have: {names}");
            }

            await Task.Delay(200);
        }
    }
}
