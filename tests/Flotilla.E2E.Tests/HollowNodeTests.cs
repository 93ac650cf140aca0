using System.Text.RegularExpressions;

namespace Flotilla.E2E.Tests;

/// <summary>
/// <c>./flotilla up --runtime hollow --nodes N</c> with the real kubectl: simulated nodes register, heart-beat and are
/// Ready with their pod subnets; a Deployment's pods run on them; and the kubelet's pod lifecycle shows through
/// kubectl as against Kubernetes: restart policies, probes, CrashLoopBackOff, graceful deletion (simulated containers).
/// </summary>
public sealed class HollowNodeTests() : OwnClusterTest("hollow")
{
    [Fact]
    public async Task ThreeHollowNodes_AreReady_AndRunADeployment()
    {
        await using var up = FlotillaProcess.Start("up", "--data-dir", DataDir, "--listen", "127.0.0.1:0", "--runtime", "hollow", "--nodes", "3");
        await up.WaitForKubeconfigServerAsync(Path.Combine(DataDir, "kubeconfig"));

        var nodes = await WaitForAsync(() => KubectlOkAsync("get", "nodes", "-o", "custom-columns=NAME:.metadata.name,READY:.status.conditions[?(@.type==\"Ready\")].status,CIDR:.spec.podCIDR,RUNTIME:.status.nodeInfo.containerRuntimeVersion", "--no-headers"),
            v => v.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.Contains(" True ", StringComparison.Ordinal) && l.Contains("10.42.", StringComparison.Ordinal)) == 3);
        Assert.Matches(@"hollow-0\s+True\s+10\.42\.\d+\.0/24\s+hollow://0\.1\.0", nodes);
        Assert.Contains("hollow-2", nodes, StringComparison.Ordinal);
        Assert.Equal("hollow-0 hollow-1 hollow-2", await KubectlOkAsync("get", "leases", "-n", "kube-node-lease", "-o", "jsonpath={.items[*].spec.holderIdentity}"));
        Assert.Equal("hollow", await KubectlOkAsync("get", "node", "hollow-1", "-o", "jsonpath={.metadata.labels.flotilla\\.dev/runtime}"));

        await WaitForAsync(() => KubectlOkAsync("get", "serviceaccount", "default", "-o", "name", "--ignore-not-found"), v => v.Length > 0);
        await KubectlOkAsync("create", "deployment", "web", "--image=busybox:1.35", "--replicas=3");
        Assert.Contains("successfully rolled out", await KubectlOkAsync("rollout", "status", "deployment/web", "--timeout=60s"), StringComparison.Ordinal);
        var pods = await KubectlOkAsync("get", "pods", "-l", "app=web", "-o", "wide", "--no-headers");
        var lines = pods.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => Assert.Matches(@"^web-\S+\s+1/1\s+Running\s+0\s+\S+\s+10\.42\.\d+\.\d+\s+hollow-\d", l));

        up.Terminate();
        Assert.Equal(0, await up.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task AnAgentProcess_JoinsHollowNodes_ThatRunPods()
    {
        await using var up = FlotillaProcess.Start("up", "--data-dir", DataDir, "--listen", "127.0.0.1:0", "--nodes", "0");
        var kubeconfig = Path.Combine(DataDir, "kubeconfig");
        await up.WaitForKubeconfigServerAsync(kubeconfig);
        await using var agent = FlotillaProcess.Start("agent", "--kubeconfig", kubeconfig, "--runtime", "hollow", "--hollow-nodes", "2", "--node-name", "edge");

        var nodes = await WaitForAsync(() => KubectlOkAsync("get", "nodes", "--no-headers"), v => Regex.Matches(v, @"edge-\d\s+Ready").Count == 2);
        Assert.DoesNotContain("hollow-", nodes, StringComparison.Ordinal);
        await WaitForAsync(() => KubectlOkAsync("get", "serviceaccount", "default", "-o", "name", "--ignore-not-found"), v => v.Length > 0);
        await KubectlOkAsync("create", "deployment", "edge-web", "--image=busybox:1.35", "--replicas=4");
        Assert.Contains("successfully rolled out", await KubectlOkAsync("rollout", "status", "deployment/edge-web", "--timeout=60s"), StringComparison.Ordinal);
        Assert.All((await KubectlOkAsync("get", "pods", "-o", "jsonpath={.items[*].spec.nodeName}")).Split(' '), n => Assert.Matches("^edge-[01]$", n));

        // The agent's kubelets serve a self-signed certificate, which the API server (checking against the cluster CA)
        // refuses, as upstream's does with --kubelet-certificate-authority; the user may skip the check.
        var (refused, _, why) = await FlotillaProcess.KubectlAsync(DataDir, null, "logs", "deployment/edge-web");
        Assert.NotEqual(0, refused);
        Assert.Contains("tls: failed to verify certificate", why, StringComparison.Ordinal);
        Assert.Equal(string.Empty, await KubectlOkAsync("logs", "deployment/edge-web", "--insecure-skip-tls-verify-backend"));

        agent.Terminate();
        Assert.Equal(0, await agent.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        up.Terminate();
        Assert.Equal(0, await up.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task AnAgent_JoinsWithAToken_ThroughCertificateSigningRequests_AndKeepsItsCredentials()
    {
        await using var up = FlotillaProcess.Start("up", "--data-dir", DataDir, "--listen", "127.0.0.1:0", "--nodes", "0");
        var server = await up.WaitForKubeconfigServerAsync(Path.Combine(DataDir, "kubeconfig"));
        var (created, token, tokenErr) = await FlotillaProcess.RunAsync("token", "create", "--data-dir", DataDir);
        Assert.True(created == 0, tokenErr);
        token = token.Trim();
        var agentDir = Path.Combine(DataDir, "agent-node");
        string[] join = ["agent", "--server", server, "--token", token, "--runtime", "hollow", "--hollow-nodes", "2", "--node-name", "joined", "--data-dir", agentDir];

        await using (var agent = FlotillaProcess.Start(join))
        {
            await WaitForAsync(() => KubectlOkAsync("get", "nodes", "--no-headers"), v => Regex.Matches(v, @"joined-\d\s+Ready").Count == 2);

            // Each node: a client certificate asked for with the token, a serving one asked for as the node.
            var csrs = await WaitForAsync(() => KubectlOkAsync("get", "csr", "--no-headers"), v => Regex.Matches(v, "Approved,Issued").Count == 4);
            var id = token.Split("::")[1].Split('.')[0];
            Assert.Equal(2, Regex.Matches(csrs, $@"kubernetes\.io/kube-apiserver-client-kubelet\s+system:bootstrap:{id}\s+<none>\s+Approved,Issued").Count);
            Assert.Matches(@"kubernetes\.io/kubelet-serving\s+system:node:joined-0\s+<none>\s+Approved,Issued", csrs);
            Assert.Matches(@"kubernetes\.io/kubelet-serving\s+system:node:joined-1\s+<none>\s+Approved,Issued", csrs);

            // The cluster-signed serving certificate lets the API server reach the kubelet without skipping checks.
            await KubectlOkAsync("run", "joined-pod", "--image=busybox:1.35", "--overrides={\"spec\":{\"nodeName\":\"joined-1\"}}", "--", "sh", "-c", "echo joined");
            Assert.Equal("joined", await WaitForAsync(async () => (await FlotillaProcess.KubectlAsync(DataDir, null, "logs", "joined-pod")).Stdout.Trim(), v => v == "joined"));

            agent.Terminate();
            Assert.Equal(0, await agent.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        // Restarted, the agent uses what it kept: no new request.
        await using (var again = FlotillaProcess.Start(join))
        {
            await WaitForAsync(() => Task.FromResult(again.Stderr + again.Stdout), v => Regex.Matches(v, "using the credentials kept in").Count == 2 && v.Contains("node joined-1: Ready=True", StringComparison.Ordinal));
            Assert.Equal(4, (await KubectlOkAsync("get", "csr", "--no-headers")).Split('\n').Length);
            again.Terminate();
            Assert.Equal(0, await again.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        // A token naming another CA is refused before anything is sent.
        var forged = "K10" + new string('0', 64) + token[67..];
        var (code, _, stderr) = await FlotillaProcess.RunAsync("agent", "--server", server, "--token", forged, "--runtime", "hollow", "--node-name", "forged", "--data-dir", Path.Combine(DataDir, "forged"));
        Assert.Equal(1, code);
        Assert.Contains("is not the one the token names", stderr, StringComparison.Ordinal);

        up.Terminate();
        Assert.Equal(0, await up.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task AJoinedAgent_GoesOnThroughAServerRestart_ItsPodKept_AndANewOneRuns()
    {
        var kubeconfig = Path.Combine(DataDir, "kubeconfig");
        FlotillaProcess? agent = null;
        try
        {
            string server;
            await using (var up = FlotillaProcess.Start("up", "--data-dir", DataDir, "--listen", "127.0.0.1:0", "--nodes", "0"))
            {
                server = await up.WaitForKubeconfigServerAsync(kubeconfig);
                var (created, token, tokenErr) = await FlotillaProcess.RunAsync("token", "create", "--data-dir", DataDir);
                Assert.True(created == 0, tokenErr);
                agent = FlotillaProcess.Start("agent", "--server", server, "--token", token.Trim(), "--runtime", "hollow", "--node-name", "steady", "--data-dir", Path.Combine(DataDir, "agent-node"));
                await WaitForAsync(() => KubectlOkAsync("get", "nodes", "--no-headers"), v => Regex.IsMatch(v, @"steady\s+Ready"));
                await KubectlOkAsync("run", "before", "--image=busybox:1.35", "--overrides={\"spec\":{\"nodeName\":\"steady\"}}", "--", "sleep", "3600");
                await WaitForAsync(() => KubectlOkAsync("get", "pod", "before", "-o", "jsonpath={.status.phase}"), v => v == "Running");
                up.Terminate();
                Assert.Equal(0, await up.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            }

            // The server is away for a while; the agent keeps trying, and its pod goes on.
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.False(agent.HasExited, agent.LogTail(50));
            File.Delete(kubeconfig);
            await using (var again = FlotillaProcess.Start("up", "--data-dir", DataDir, "--listen", new Uri(server).Authority, "--nodes", "0"))
            {
                await again.WaitForKubeconfigServerAsync(kubeconfig);
                var uid = await KubectlOkAsync("get", "pod", "before", "-o", "jsonpath={.metadata.uid}");

                // Heart-beating and watching again: a new pod bound to the node runs; the old one was left alone.
                await KubectlOkAsync("run", "after", "--image=busybox:1.35", "--overrides={\"spec\":{\"nodeName\":\"steady\"}}", "--", "sleep", "3600");
                await WaitForAsync(() => KubectlOkAsync("get", "pod", "after", "-o", "jsonpath={.status.phase}"), v => v == "Running");
                Assert.Equal("Running", await KubectlOkAsync("get", "pod", "before", "-o", "jsonpath={.status.phase}"));
                Assert.Equal(uid, await KubectlOkAsync("get", "pod", "before", "-o", "jsonpath={.metadata.uid}"));
                Assert.Matches(@"steady\s+Ready", await KubectlOkAsync("get", "nodes", "--no-headers"));

                agent.Terminate();
                Assert.Equal(0, await agent.WaitForExitAsync(TimeSpan.FromSeconds(30)));
                again.Terminate();
                Assert.Equal(0, await again.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            }
        }
        finally
        {
            if (agent is not null)
            {
                await agent.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task PodsOnAHollowNode_BehaveAsKubectlExpects()
    {
        await using var up = await UpAsync(1);
        await WaitForAsync(() => KubectlOkAsync("get", "nodes", "--no-headers"), v => v.Contains(" Ready ", StringComparison.Ordinal));

        var (code, _, stderr) = await FlotillaProcess.KubectlAsync(DataDir, LifecyclePods, "apply", "-f", "-");
        Assert.True(code == 0, stderr);

        // Restart policies: what STATUS kubectl prints for each outcome.
        await WaitForAsync(() => KubectlOkAsync("get", "pod", "done", "fails", "crash", "--no-headers", "-o", "custom-columns=NAME:.metadata.name,PHASE:.status.phase"), v => Regex.IsMatch(v, @"done\s+Succeeded") && Regex.IsMatch(v, @"fails\s+Failed"));
        Assert.Matches(@"done\s+0/1\s+Completed\s+0", await KubectlOkAsync("get", "pod", "done", "--no-headers"));
        Assert.Matches(@"fails\s+0/1\s+Error\s+0", await KubectlOkAsync("get", "pod", "fails", "--no-headers"));

        await WaitForAsync(() => KubectlOkAsync("get", "pod", "crash", "--no-headers"), v => v.Contains("CrashLoopBackOff", StringComparison.Ordinal));

        // Logs come from the node's kubelet API through the API server; so does the node proxy.
        Assert.Equal("all good", await KubectlOkAsync("logs", "done"));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT[\d:.]+Z all good$", await KubectlOkAsync("logs", "pod/done", "--timestamps"));
        Assert.Equal("ok", await KubectlOkAsync("get", "--raw", "/api/v1/nodes/hollow-0/proxy/healthz"));
        Assert.Equal("crashing", await KubectlOkAsync("logs", "crash", "--previous"));

        // Probes: readiness gates Ready; a failing liveness probe restarts the container.
        Assert.Contains("condition met", await KubectlOkAsync("wait", "--for=condition=Ready", "pod/ready", "--timeout=30s"), StringComparison.Ordinal);
        Assert.Matches(@"unready\s+0/1\s+Running\s+0", await KubectlOkAsync("get", "pod", "unready", "--no-headers"));
        await WaitForAsync(() => KubectlOkAsync("get", "pod", "sick", "-o", "jsonpath={.status.containerStatuses[0].restartCount}"), v => int.TryParse(v, out var n) && n >= 1);
        var described = await KubectlOkAsync("describe", "pod", "sick");
        Assert.Contains("Container app failed liveness probe, will be restarted", described, StringComparison.Ordinal);
        Assert.Contains("Liveness probe failed:", described, StringComparison.Ordinal);

        // Graceful deletion waits for the preStop hook (sleep 3) before the pod object goes.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await KubectlOkAsync("delete", "pod", "drain", "--timeout=60s");
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(30));
        Assert.Equal(string.Empty, await KubectlOkAsync("get", "pod", "drain", "--ignore-not-found"));

        up.Terminate();
        Assert.Equal(0, await up.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    private const string LifecyclePods = """
        apiVersion: v1
        kind: Pod
        metadata: {name: done}
        spec:
          restartPolicy: Never
          containers: [{name: app, image: busybox:1.35, command: [sh, -c, "echo all good; exit 0"]}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: fails}
        spec:
          restartPolicy: Never
          containers: [{name: app, image: busybox:1.35, command: [sh, -c, "exit 3"]}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: crash}
        spec:
          containers: [{name: app, image: busybox:1.35, command: [sh, -c, "echo crashing; exit 1"]}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: ready}
        spec:
          containers:
          - name: app
            image: busybox:1.35
            command: [sleep, infinity]
            readinessProbe: {exec: {command: ["true"]}, periodSeconds: 1}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: unready}
        spec:
          containers:
          - name: app
            image: busybox:1.35
            command: [sleep, infinity]
            readinessProbe: {exec: {command: [sh, -c, "exit 1"]}, periodSeconds: 1}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: sick}
        spec:
          containers:
          - name: app
            image: busybox:1.35
            command: [sleep, infinity]
            livenessProbe: {exec: {command: [sh, -c, "exit 1"]}, periodSeconds: 1, failureThreshold: 1}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: drain}
        spec:
          containers:
          - name: app
            image: busybox:1.35
            command: [sleep, infinity]
            lifecycle: {preStop: {exec: {command: [sh, -c, "sleep 3"]}}}
        """;
}
