namespace Flotilla.E2E.Tests;

/// <summary>
/// DaemonSets with the real kubectl on <c>./flotilla up --runtime hollow --nodes 3</c>: a pod on every node,
/// <c>rollout status</c>, a rolling update by <c>set image</c>, <c>rollout history</c> and <c>undo</c>, and a node
/// that a NoExecute taint closes.
/// </summary>
public sealed class DaemonSetTests() : OwnClusterTest("ds")
{
    [Fact]
    public async Task ADaemonSet_RunsOnEveryNode_RollsOut_AndRollsBack()
    {
        await using var up = await UpAsync(3);
        await WaitForAsync(() => KubectlOkAsync("get", "nodes", "--no-headers"), v => v.Split('\n').Count(l => l.Contains(" Ready ", StringComparison.Ordinal)) == 3);

        var (code, _, stderr) = await FlotillaProcess.KubectlAsync(DataDir, Agent, "apply", "-f", "-");
        Assert.True(code == 0, stderr);
        Assert.Contains("daemon set \"agent\" successfully rolled out", await KubectlOkAsync("rollout", "status", "ds/agent", "--timeout=60s"), StringComparison.Ordinal);
        Assert.Matches(@"^agent\s+3\s+3\s+3\s+3\s+3\s+<none>\s+\d+s$", await KubectlOkAsync("get", "ds", "agent", "--no-headers"));
        Assert.Equal(["hollow-0", "hollow-1", "hollow-2"], (await KubectlOkAsync("get", "pods", "-l", "app=agent", "-o", "jsonpath={.items[*].spec.nodeName}")).Split(' ').Order());

        // A rolling update, one node at a time; the pods carry the new revision and template generation.
        await KubectlOkAsync("set", "image", "ds/agent", "a=busybox:1.36");
        Assert.Contains("successfully rolled out", await KubectlOkAsync("rollout", "status", "ds/agent", "--timeout=60s"), StringComparison.Ordinal);
        Assert.Equal("busybox:1.36 busybox:1.36 busybox:1.36", await KubectlOkAsync("get", "pods", "-l", "app=agent", "-o", "jsonpath={.items[*].spec.containers[0].image}"));
        Assert.Equal("2 2 2", await KubectlOkAsync("get", "pods", "-l", "app=agent", "-o", "jsonpath={.items[*].metadata.labels.pod-template-generation}"));
        Assert.Matches(@"REVISION\s+CHANGE-CAUSE\s+1\s+<none>\s+2\s+<none>", await KubectlOkAsync("rollout", "history", "ds/agent"));

        // Undo goes back to the first template, renumbered as the newest revision.
        Assert.Contains("rolled back", await KubectlOkAsync("rollout", "undo", "ds/agent"), StringComparison.Ordinal);
        Assert.Contains("successfully rolled out", await KubectlOkAsync("rollout", "status", "ds/agent", "--timeout=60s"), StringComparison.Ordinal);
        await WaitForAsync(() => KubectlOkAsync("get", "pods", "-l", "app=agent", "-o", "jsonpath={.items[*].spec.containers[0].image}"), v => v == "busybox:1.35 busybox:1.35 busybox:1.35");
        Assert.Equal("2 3", await KubectlOkAsync("get", "controllerrevisions", "-l", "app=agent", "--sort-by=.revision", "-o", "jsonpath={.items[*].revision}"));

        // A node tainted NoExecute loses its pod; the others keep theirs.
        await KubectlOkAsync("taint", "node", "hollow-2", "dedicated=x:NoExecute");
        await WaitForAsync(() => KubectlOkAsync("get", "pods", "-l", "app=agent", "-o", "jsonpath={.items[*].spec.nodeName}"), v => !v.Contains("hollow-2", StringComparison.Ordinal) && v.Split(' ').Length == 2);
        Assert.Matches(@"^agent\s+2\s+2\s+2\s+2\s+2\s", await KubectlOkAsync("get", "ds", "agent", "--no-headers"));

        up.Terminate();
        Assert.Equal(0, await up.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    private const string Agent = """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec:
              containers: [{name: a, image: busybox:1.35, command: [sleep, "3600"]}]
        """;
}
