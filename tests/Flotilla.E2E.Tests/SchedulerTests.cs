namespace Flotilla.E2E.Tests;

/// <summary>
/// The scheduler inside <c>./flotilla up</c>, seen through the real kubectl: a pod waits while there is no node and
/// says why, then lands on the node that registers, with the events <c>kubectl describe</c> shows against Kubernetes.
/// </summary>
public sealed class SchedulerTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Pod_WaitsWithoutNodes_ThenIsScheduledOnTheNodeThatRegisters()
    {
        await cluster.KubectlOkAsync("run", "sched-web", "--image=busybox:1.35", "--restart=Never", "--", "sleep", "3600");
        var reason = await WaitForAsync("{.status.conditions[?(@.type==\"PodScheduled\")].message}", v => v.Length > 0);
        Assert.Equal("no nodes available to schedule pods", reason);
        Assert.Contains("FailedScheduling", await cluster.KubectlOkAsync("get", "events", "--field-selector", "involvedObject.name=sched-web", "-o", "jsonpath={.items[*].reason}"), StringComparison.Ordinal);

        await cluster.KubectlOkInputAsync(NodeManifests.E2eNode, "create", "-f", "-");
        Assert.Equal("e2e-node", await WaitForAsync("{.spec.nodeName}", v => v.Length > 0));
        Assert.Equal("True", await cluster.KubectlOkAsync("get", "pod", "sched-web", "-o", "jsonpath={.status.conditions[?(@.type==\"PodScheduled\")].status}"));

        var describe = await WaitForDescribeAsync("Successfully assigned default/sched-web to e2e-node");
        Assert.Contains("default-scheduler", describe, StringComparison.Ordinal);
        Assert.Contains("Node:             e2e-node", describe, StringComparison.Ordinal);
    }

    private async Task<string> WaitForAsync(string jsonPath, Func<string, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var value = await cluster.KubectlOkAsync("get", "pod", "sched-web", "-o", "jsonpath=" + jsonPath);
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(200);
        }
    }

    private async Task<string> WaitForDescribeAsync(string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var describe = await cluster.KubectlOkAsync("describe", "pod", "sched-web");
            if (describe.Contains(text, StringComparison.Ordinal) || DateTime.UtcNow > deadline)
            {
                return describe;
            }

            await Task.Delay(200);
        }
    }
}
