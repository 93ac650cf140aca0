using System.Globalization;

namespace Flotilla.E2E.Tests;

/// <summary>
/// Deployments inside <c>./flotilla up</c>, driven by the real kubectl through a rollout, a rollback, a pause and a
/// restart. No node runs the pods yet: <see cref="PlayKubeletAsync"/> reports each new pod Running and Ready through
/// <c>kubectl patch --subresource=status</c>, as a kubelet would.
/// </summary>
public sealed class DeploymentTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task CreateSetImageUndoPauseResumeRestart_AsKubectlShowsThem()
    {
        using var stop = new CancellationTokenSource();
        var kubelet = PlayKubeletAsync(stop.Token);

        await cluster.KubectlOkAsync("create", "deployment", "e2e-web", "--image=busybox:1.35", "--replicas=3");
        Assert.Contains("successfully rolled out", await cluster.KubectlOkAsync("rollout", "status", "deployment/e2e-web", "--timeout=60s"), StringComparison.Ordinal);
        Assert.Matches(@"e2e-web\s+3/3\s+3\s+3\s", await cluster.KubectlOkAsync("get", "deployment", "e2e-web"));

        await cluster.KubectlOkAsync("set", "image", "deployment/e2e-web", "busybox=busybox:1.36");
        Assert.Contains("successfully rolled out", await cluster.KubectlOkAsync("rollout", "status", "deployment/e2e-web", "--timeout=60s"), StringComparison.Ordinal);
        var history = await cluster.KubectlOkAsync("rollout", "history", "deployment/e2e-web");
        Assert.Matches(@"REVISION\s+CHANGE-CAUSE\s+1\s+<none>\s+2\s+<none>", history);
        Assert.Contains("busybox:1.35", await cluster.KubectlOkAsync("rollout", "history", "deployment/e2e-web", "--revision=1"), StringComparison.Ordinal);

        Assert.Contains("rolled back", await cluster.KubectlOkAsync("rollout", "undo", "deployment/e2e-web"), StringComparison.Ordinal);
        Assert.Contains("successfully rolled out", await cluster.KubectlOkAsync("rollout", "status", "deployment/e2e-web", "--timeout=60s"), StringComparison.Ordinal);
        Assert.Equal("busybox:1.35", await cluster.KubectlOkAsync("get", "deployment", "e2e-web", "-o", "jsonpath={.spec.template.spec.containers[0].image}"));
        Assert.Equal(2, (await cluster.KubectlOkAsync("get", "rs", "-l", "app=e2e-web", "-o", "name")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        await cluster.KubectlOkAsync("rollout", "pause", "deployment/e2e-web");
        await cluster.KubectlOkAsync("scale", "deployment/e2e-web", "--replicas=4");
        await WaitForAsync(() => cluster.KubectlOkAsync("get", "deployment", "e2e-web", "-o", "jsonpath={.status.readyReplicas}"), "4");
        await cluster.KubectlOkAsync("rollout", "resume", "deployment/e2e-web");
        await cluster.KubectlOkAsync("rollout", "restart", "deployment/e2e-web");
        Assert.Contains("successfully rolled out", await cluster.KubectlOkAsync("rollout", "status", "deployment/e2e-web", "--timeout=60s"), StringComparison.Ordinal);
        Assert.Equal(3, (await cluster.KubectlOkAsync("get", "rs", "-l", "app=e2e-web", "-o", "name")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var describe = await cluster.KubectlOkAsync("describe", "deployment", "e2e-web");
        Assert.Matches(@"Replicas:\s+4 desired \| 4 updated \| 4 total \| 4 available \| 0 unavailable", describe);
        Assert.Matches(@"Progressing\s+True\s+NewReplicaSetAvailable", describe);
        Assert.Matches(@"ScalingReplicaSet\s+\S+\s+deployment-controller\s+Scaled up replica set e2e-web-", describe);

        await stop.CancelAsync();
        await kubelet;
    }

    private static async Task WaitForAsync(Func<Task<string>> read, string expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string value;
        while ((value = await read()) != expected)
        {
            Assert.True(DateTime.UtcNow < deadline, $"wanted {expected}, have {value}");
            await Task.Delay(200);
        }
    }

    private async Task PlayKubeletAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var (_, pending, _) = await cluster.KubectlAsync("get", "pods", "-l", "app=e2e-web", "--field-selector=status.phase=Pending", "-o", "name");
            foreach (var pod in pending.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                await cluster.KubectlAsync("patch", pod, "--subresource=status", "--type=merge", "-p", $$$"""{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True","lastTransitionTime":"{{{now}}}"}]}}""");
            }

            try
            {
                await Task.Delay(200, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
