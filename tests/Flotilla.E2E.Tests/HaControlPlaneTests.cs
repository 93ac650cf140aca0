using System.Text.RegularExpressions;

namespace Flotilla.E2E.Tests;

/// <summary>
/// <c>./flotilla up --servers 3 --nodes 3 --store etcd</c>: three API servers (each with its scheduler and controller
/// manager, leader-elected) over a three-member etcd, three real nodes in their namespaces. One API server and one
/// etcd member are SIGKILLed during a rolling update: the rollout completes, kubectl keeps working, no acknowledged
/// write is lost, the node that was using the dead server goes on through another, and the dead server leaves the
/// <c>kubernetes</c> Endpoints.
/// </summary>
[Collection(RealNodes.Name)]
public sealed class HaControlPlaneTests() : OwnClusterTest("ha")
{
    private const string Web = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
         "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"strategy":{"rollingUpdate":{"maxUnavailable":1,"maxSurge":0}},
          "template":{"metadata":{"labels":{"app":"web"}},
           "spec":{"terminationGracePeriodSeconds":1,
            "topologySpreadConstraints":[{"maxSkew":1,"topologyKey":"kubernetes.io/hostname","whenUnsatisfiable":"DoNotSchedule","labelSelector":{"matchLabels":{"app":"web"}}}],
            "containers":[{"name":"web","image":"busybox:1.35","command":["sh","-c","mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www"],
             "readinessProbe":{"tcpSocket":{"port":8080},"periodSeconds":1}}]}}}}
        """;

    [Fact]
    public async Task OneOfThreeApiServersAndOneEtcdMemberKilled_DuringARollingUpdate_TheRolloutCompletesAndNoWriteIsLost()
    {
        await using (var up = await UpWithAsync("--servers", "3", "--nodes", "3", "--store", "etcd"))
        {
            try
            {
                await Eventually.WaitForAsync(() => KubectlOkAsync("get", "nodes", "--no-headers"), v => Regex.Matches(v, @"node-\d\s+Ready\s").Count == 3, seconds: 120);
                await Eventually.WaitForAsync(() => KubectlOkAsync("get", "endpoints", "kubernetes", "-o", "jsonpath={.subsets[*].addresses[*].ip}"), v => v == "10.44.0.241 10.44.0.242 10.44.0.243", seconds: 120);
                Assert.Equal("10.44.0.241 10.44.0.242 10.44.0.243", await KubectlOkAsync("get", "endpoints", "-n", "kube-system", "kube-dns", "-o", "jsonpath={.subsets[*].addresses[*].ip}"));
                foreach (var server in new[] { 1, 2, 3 })
                {
                    Assert.Equal("ok", await KubectlOkAsync("--context", $"flotilla-server-{server}", "get", "--raw", "/readyz"));
                }

                await KubectlOkInputAsync(Web, "apply", "-f", "-");
                Assert.Contains("successfully rolled out", await KubectlOkAsync("rollout", "status", "deployment/web", "--timeout=180s"), StringComparison.Ordinal);

                // The faults, as the rolling update starts.
                await KubectlOkAsync("set", "env", "deployment/web", "ROUND=2");
                Assert.Equal(0, (await HostCommand.RunAsync("pkill", "-KILL", "-f", "--", $"--data-dir {DataDir}/servers/server-2 ")).Code);
                Assert.Equal(0, (await HostCommand.RunAsync("pkill", "-KILL", "-f", "--", $"--data-dir {DataDir}/etcd/member-1 ")).Code);

                // Writes during the etcd election may fail (a 500 "request timed out", as upstream passes it on); those
                // that were acknowledged must all be there.
                var acknowledged = new List<string>();
                for (var i = 0; i < 20; i++)
                {
                    if ((await FlotillaProcess.KubectlAsync(DataDir, null, "create", "configmap", $"write-{i}", $"--from-literal=i={i}")).Code == 0)
                    {
                        acknowledged.Add($"write-{i}");
                    }
                }

                Assert.True(acknowledged.Count >= 15, $"only {acknowledged.Count} of 20 writes acknowledged");
                Assert.Contains("successfully rolled out", await KubectlOkAsync("rollout", "status", "deployment/web", "--timeout=180s"), StringComparison.Ordinal);
                var stored = (await KubectlOkAsync("get", "configmaps", "-o", "name")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
                Assert.Subset(stored.ToHashSet(), acknowledged.Select(n => $"configmap/{n}").ToHashSet());

                // Every node runs a pod of the new template: node-2's agent, which preferred server-2, went on through another.
                var fresh = await KubectlOkAsync("get", "pods", "-l", "app=web", "-o", "jsonpath={range .items[?(@.status.phase==\"Running\")]}{.spec.nodeName} {.spec.containers[0].env[0].value}{\"\\n\"}{end}");
                Assert.Equal(["node-1 2", "node-2 2", "node-3 2"], fresh.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.EndsWith(" 2", StringComparison.Ordinal)).Order(StringComparer.Ordinal));

                // The dead server's lease runs out: the kubernetes and kube-dns Endpoints are the live servers, whose
                // DNS pods reach through 10.43.0.10.
                await Eventually.WaitForAsync(() => KubectlOkAsync("get", "endpoints", "kubernetes", "-o", "jsonpath={.subsets[*].addresses[*].ip}"), v => v == "10.44.0.241 10.44.0.243", seconds: 60);
                await Eventually.WaitForAsync(() => KubectlOkAsync("get", "endpoints", "-n", "kube-system", "kube-dns", "-o", "jsonpath={.subsets[*].addresses[*].ip}"), v => v == "10.44.0.241 10.44.0.243", seconds: 30);
                for (var i = 0; i < 4; i++)
                {
                    Assert.Contains("Address: 10.43.0.1", await KubectlOkAsync("exec", "deploy/web", "--", "nslookup", "kubernetes.default.svc.cluster.local"), StringComparison.Ordinal);
                }
                Assert.Equal("ok", await KubectlOkAsync("--context", "flotilla-server-3", "get", "--raw", "/readyz"));
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"{e.Message}\n--- up's log, last 200 lines ---\n{up.LogTail(200)}", e);
            }

            up.Terminate();
            Assert.Equal(0, await up.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }

        var (code, _, stderr) = await FlotillaProcess.RunAsync("reset", "--data-dir", DataDir);
        Assert.True(code == 0, stderr);
        Assert.NotEqual(0, (await HostCommand.RunAsync("ip", "link", "show", "flotilla-br")).Code);
        Assert.Empty((await HostCommand.RunAsync("pgrep", "-f", "--", $"--data-dir {DataDir}/")).Output.Trim());
        Assert.False(Directory.Exists(Path.Combine(DataDir, "servers")));
    }
}
