using System.Text.RegularExpressions;

namespace Flotilla.E2E.Tests;

/// <summary>
/// <c>./flotilla up --nodes 3</c>: three real nodes, each in its own network namespace with its own containerd,
/// bridge, pod subnet and proxy rules, joined by token and CSR; pods talk across nodes with their own addresses,
/// Services and DNS work from every node, a NodePort answers on a node with no endpoint, and <c>reset</c> removes
/// every namespace, link and route.
/// </summary>
[Collection(RealNodes.Name)]
public sealed class MultiNodeTests() : OwnClusterTest("multi")
{
    private const string Web = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
         "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
          "template":{"metadata":{"labels":{"app":"web"}},
           "spec":{"topologySpreadConstraints":[{"maxSkew":1,"topologyKey":"kubernetes.io/hostname","whenUnsatisfiable":"DoNotSchedule","labelSelector":{"matchLabels":{"app":"web"}}}],
            "containers":[{"name":"web","image":"busybox:1.35","command":["sh","-c","mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www"],
             "ports":[{"containerPort":8080}],"readinessProbe":{"tcpSocket":{"port":8080},"periodSeconds":1}}]}}}}
        """;

    [Fact]
    public async Task ThreeNodes_InTheirNamespaces_PodsServicesAndDnsWorkAcrossNodes_AndResetRemovesThem()
    {
        await using (var up = await UpRealAsync(3))
        {
            var nodes = await WaitForAsync(() => KubectlOkAsync("get", "nodes", "--no-headers", "-o", "custom-columns=NAME:.metadata.name,READY:.status.conditions[?(@.type==\"Ready\")].status,IP:.status.addresses[?(@.type==\"InternalIP\")].address,CIDR:.spec.podCIDR"),
                v => Regex.Matches(v, @"node-\d\s+True\s+10\.44\.0\.\d+\s+10\.42\.\d+\.0/24").Count == 3);
            Assert.Matches(@"node-1\s+True\s+10\.44\.0\.2\s", nodes);
            Assert.Matches(@"node-3\s+True\s+10\.44\.0\.4\s", nodes);
            Assert.Equal(3, Regex.Matches(nodes, @"10\.42\.\d+\.0/24").Select(m => m.Value).Distinct().Count());

            // Each node asks for its serving certificate once its Node has addresses, so that may follow Ready.
            await WaitForAsync(() => KubectlOkAsync("get", "csr", "--no-headers"), v => Regex.Matches(v, "Approved,Issued").Count == 6);

            await KubectlOkInputAsync(Web, "apply", "-f", "-");
            Assert.Contains("successfully rolled out", await KubectlOkAsync("rollout", "status", "deployment/web", "--timeout=120s"), StringComparison.Ordinal);
            var pods = (await KubectlOkAsync("get", "pods", "-l", "app=web", "-o", "jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName} {.status.podIP}{\"\\n\"}{end}"))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToList();
            Assert.Equal(["node-1", "node-2", "node-3"], pods.Select(p => p[1]).Order(StringComparer.Ordinal));
            var onNode1 = pods.Single(p => p[1] == "node-1")[0];

            // Pod to pod across nodes, with the pods' own addresses; the host reaches every pod.
            foreach (var other in pods.Where(p => p[1] != "node-1"))
            {
                Assert.Equal(other[0], await ExecAsync(onNode1, $"timeout 5 wget -qO- http://{other[2]}:8080/"));
                Assert.Equal(other[0], (await HostCommand.RunAsync("curl", "-s", "--max-time", "5", $"http://{other[2]}:8080/")).Output.Trim());
            }

            // A ClusterIP by name from node 1 reaches the pods on the other nodes too.
            await KubectlOkAsync("expose", "deployment", "web", "--port=80", "--target-port=8080", "--type=NodePort");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < 40 && seen.Count < 3; i++)
            {
                // Until the proxies and the DNS know the new Service, the answer is empty.
                if (await ExecAsync(onNode1, "timeout 5 wget -qO- http://web/ || true") is { Length: > 0 } answer)
                {
                    seen.Add(answer);
                }
            }

            Assert.True(seen.Count == 3, $"from node-1 http://web/ reached {seen.Count} of 3 pods:\n{await ServicePathAsync(onNode1)}");
            Assert.Superset(pods.Select(p => p[0]).ToHashSet(), seen);

            // DNS from every node: each node's proxy sends 10.43.0.10 to the server's DNS on its node-network address,
            // as a node on another machine would (no route to the host's lo needed).
            Assert.Equal("10.44.0.1", await KubectlOkAsync("get", "endpoints", "-n", "kube-system", "kube-dns", "-o", "jsonpath={.subsets[*].addresses[*].ip}"));
            foreach (var pod in pods)
            {
                Assert.Contains("Address: 10.43.", await ExecAsync(pod[0], "nslookup web.default.svc.cluster.local"), StringComparison.Ordinal);
                Assert.Contains("kube-system/kube-dns:dns", (await HostCommand.RunAsync("ip", "netns", "exec", $"flotilla-{pod[1]}", "iptables", "-t", "nat", "-S")).Output, StringComparison.Ordinal);
            }

            Assert.Contains("Address: 10.43.", await ExecAsync(onNode1, "nslookup web.default.svc.cluster.local 10.44.0.1"), StringComparison.Ordinal);

            // With one pod left, every node's NodePort still answers (externalTrafficPolicy: Cluster).
            await KubectlOkAsync("scale", "deployment/web", "--replicas=1");
            await WaitForAsync(() => KubectlOkAsync("get", "pods", "-l", "app=web", "--no-headers"), v => v.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 1);
            var nodePort = await KubectlOkAsync("get", "service", "web", "-o", "jsonpath={.spec.ports[0].nodePort}");
            var survivor = await KubectlOkAsync("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[0].metadata.name}");
            foreach (var address in new[] { "10.44.0.2", "10.44.0.3", "10.44.0.4" })
            {
                Assert.Equal(survivor, await WaitForAsync(async () => (await HostCommand.RunAsync("curl", "-s", "--max-time", "5", $"http://{address}:{nodePort}/")).Output.Trim(), v => v == survivor));
            }

            up.Terminate();
            Assert.Equal(0, await up.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }

        var (code, _, stderr) = await FlotillaProcess.RunAsync("reset", "--data-dir", DataDir);
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("flotilla-node-", (await HostCommand.RunAsync("ip", "netns", "list")).Output, StringComparison.Ordinal);
        Assert.NotEqual(0, (await HostCommand.RunAsync("ip", "link", "show", "flotilla-br")).Code);
        Assert.Equal(string.Empty, (await HostCommand.RunAsync("ip", "route", "show", "proto", "144")).Output.Trim());
    }

    [Fact]
    public async Task ThreeNodes_OverVxlan_PodsReachEachOtherAcrossNodes_WithFullSizePackets_AndItsAgentsStopWhenUpIsKilled()
    {
        await using (var up = await UpWithAsync("--nodes", "3", "--flannel-backend", "vxlan"))
        {
            await Eventually.WaitForAsync(() => KubectlOkAsync("get", "nodes", "--no-headers"), v => Regex.Matches(v, @"node-\d\s+Ready\s").Count == 3, seconds: 120);
            await KubectlOkInputAsync(Web, "apply", "-f", "-");
            Assert.Contains("successfully rolled out", await KubectlOkAsync("rollout", "status", "deployment/web", "--timeout=120s"), StringComparison.Ordinal);
            var pods = (await KubectlOkAsync("get", "pods", "-l", "app=web", "-o", "jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName} {.status.podIP}{\"\\n\"}{end}"))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToList();
            var onNode1 = pods.Single(p => p[1] == "node-1")[0];

            // Every node published its VTEP as flannel does, and routes the others' subnets through the VXLAN device.
            Assert.Equal("vxlan vxlan vxlan", await KubectlOkAsync("get", "nodes", "-o", "jsonpath={.items[*].metadata.annotations.flannel\\.alpha\\.coreos\\.com/backend-type}"));
            var routes = (await HostCommand.RunAsync("ip", "-n", "flotilla-node-1", "route", "show", "proto", "144")).Output;
            Assert.Equal(2, Regex.Matches(routes, @"10\.42\.\d+\.0/24 via 10\.42\.\d+\.0 dev flotilla\.1").Count);
            Assert.Equal("1450", await ExecAsync(onNode1, "cat /sys/class/net/eth0/mtu"));

            // 200 KB across nodes: full-size packets pass the encapsulation (an MTU of 1500 inside would drop them).
            foreach (var other in pods.Where(p => p[1] != "node-1"))
            {
                await ExecAsync(other[0], "dd if=/dev/zero of=/www/big bs=1024 count=200 2>/dev/null");
                Assert.Equal(other[0], await ExecAsync(onNode1, $"timeout 5 wget -qO- http://{other[2]}:8080/"));
                Assert.Equal("204800", await ExecAsync(onNode1, $"timeout 10 wget -qO- http://{other[2]}:8080/big | wc -c"));
            }

            // up dies without stopping its agents: they see it gone and stop by themselves, so reset can take their locks.
            await up.KillAloneAsync();
            await Eventually.WaitForAsync(
                async () => (await HostCommand.RunAsync("pgrep", "-f", "--", $"--data-dir {DataDir}/")).Output.Trim(), v => v.Length == 0, seconds: 60);
        }

        var (code, _, stderr) = await FlotillaProcess.RunAsync("reset", "--data-dir", DataDir);
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("flotilla-node-", (await HostCommand.RunAsync("ip", "netns", "list")).Output, StringComparison.Ordinal);
    }

    /// <summary>Each step from a pod to the Service, to tell a DNS failure from a proxy one.</summary>
    private async Task<string> ServicePathAsync(string pod)
    {
        var clusterIp = await KubectlOkAsync("get", "service", "web", "-o", "jsonpath={.spec.clusterIP}");
        return string.Join('\n',
            "nslookup web: " + await ExecAsync(pod, "nslookup web 2>&1 || true"),
            $"wget {clusterIp}: " + await ExecAsync(pod, $"timeout 5 wget -qO- http://{clusterIp}/ 2>&1 || true"),
            "endpoints: " + await KubectlOkAsync("get", "endpoints", "web", "-o", "wide"),
            "node-1 nat rules: " + (await HostCommand.RunAsync("ip", "netns", "exec", "flotilla-node-1", "iptables", "-t", "nat", "-S")).Output);
    }

    [Fact]
    public async Task ANodeCutOff_GoesUnknown_ItsPodsAreEvictedAndRecreatedElsewhere_AndWhenItReturnsItsStalePodsAreCleanedUp()
    {
        await using var up = await UpRealAsync(3);
        await WaitForAsync(() => KubectlOkAsync("get", "nodes", "--no-headers"), v => Regex.Matches(v, @"node-\d\s+Ready\s").Count == 3);

        // Tolerating the unreachable taint for 5 s instead of the default 300 s.
        await KubectlOkInputAsync(Web.Replace("\"topologySpreadConstraints\"", "\"tolerations\":[{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":5}],\"topologySpreadConstraints\"", StringComparison.Ordinal)
            .Replace("\"DoNotSchedule\"", "\"ScheduleAnyway\"", StringComparison.Ordinal), "apply", "-f", "-");
        Assert.Contains("successfully rolled out", await KubectlOkAsync("rollout", "status", "deployment/web", "--timeout=120s"), StringComparison.Ordinal);
        var lost = await KubectlOkAsync("get", "pods", "-l", "app=web", "--field-selector", "spec.nodeName=node-2", "-o", "jsonpath={.items[0].metadata.name}");

        // The node's link goes down: its agent and pods run on, unheard.
        Assert.Equal(0, (await HostCommand.RunAsync("ip", "link", "set", "flt-node-2", "down")).Code);
        try
        {
            await Eventually.WaitForAsync(() => KubectlOkAsync("get", "node", "node-2", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status} {.spec.taints[*].key}"),
                v => v.StartsWith("Unknown", StringComparison.Ordinal) && v.Contains("node.kubernetes.io/unreachable", StringComparison.Ordinal), seconds: 120);

            // Evicted after its 5 s toleration (Terminating: the node cannot confirm), replaced on the other nodes.
            await WaitForAsync(() => KubectlOkAsync("get", "pod", lost, "-o", "jsonpath={.metadata.deletionTimestamp}"), v => v.Length > 0);
            await Eventually.WaitForAsync(() => KubectlOkAsync("get", "pods", "-l", "app=web", "-o", "jsonpath={range .items[?(@.status.phase==\"Running\")]}{.spec.nodeName} {.metadata.deletionTimestamp}{\"\\n\"}{end}"),
                v => v.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.Trim() is "node-1" or "node-3") == 3, seconds: 120);
        }
        finally
        {
            await HostCommand.RunAsync("ip", "link", "set", "flt-node-2", "up");
        }

        // Back, the node is Ready again, untainted, and its kubelet finishes the deletion of the stale pod.
        try
        {
            await Eventually.WaitForAsync(() => KubectlOkAsync("get", "node", "node-2", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status} {.spec.taints[*].key}"), v => v.Trim() == "True", seconds: 120);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"{e.Message}\n--- up's log (node-2's agent among it), last 150 lines ---\n{up.LogTail(150)}", e);
        }

        await Eventually.WaitForAsync(() => KubectlOkAsync("get", "pods", "-l", "app=web", "-o", "name"), v => !v.Contains(lost, StringComparison.Ordinal), seconds: 120);
        Assert.Equal(3, (await KubectlOkAsync("get", "pods", "-l", "app=web", "--no-headers")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        up.Terminate();
        Assert.Equal(0, await up.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    private async Task<string> ExecAsync(string pod, string script) => (await KubectlOkAsync("exec", pod, "--", "sh", "-c", script)).Trim();
}
