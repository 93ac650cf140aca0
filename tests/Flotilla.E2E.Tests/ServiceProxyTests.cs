using System.Net.Sockets;

namespace Flotilla.E2E.Tests;

/// <summary>
/// Services on <c>./flotilla up</c>'s real node through its proxy (iptables): a ClusterIP spreads requests over every
/// ready pod (and none to one that is not ready), from the node and from a pod, and takes a pod back to itself; a NodePort answers on 127.0.0.1, also with
/// <c>externalTrafficPolicy: Local</c>; ClientIP affinity sticks; a service
/// without endpoints refuses at once; a LoadBalancer answers at the node's address, a second one on its port waits;
/// <c>flotilla reset</c> removes the chains.
/// </summary>
[Collection(RealNodes.Name)]
public sealed class ServiceProxyTests() : OwnClusterTest("svc")
{
    [Fact]
    public async Task ClusterIpAndNodePort_SpreadOverThePods_AffinitySticks_NoEndpointsRefuses()
    {
        await using (var up = await UpAsync())
        {
            await KubectlOkAsync("create", "deployment", "web", "--image=busybox:1.35", "--replicas=3", "--", "sh", "-c", "mkdir /w && hostname > /w/index.html && exec httpd -f -p 8080 -h /w");
            await KubectlOkAsync("expose", "deployment", "web", "--port=80", "--target-port=8080", "--type=NodePort");
            Assert.Contains("successfully rolled out", await KubectlOkAsync("rollout", "status", "deploy/web", "--timeout=90s"), StringComparison.Ordinal);
            var pods = (await KubectlOkAsync("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.name}")).Split(' ').Order(StringComparer.Ordinal).ToList();

            // A pod the service selects that never passes its readiness probe: it serves, but gets no traffic.
            await KubectlOkAsync("run", "unready", "--image=busybox:1.35", "--labels=app=web", "--overrides", Unready);
            await KubectlOkAsync("wait", "--for=jsonpath={.status.phase}=Running", "pod/unready", "--timeout=60s");
            var clusterIp = await KubectlOkAsync("get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}");
            var nodePort = await KubectlOkAsync("get", "svc", "web", "-o", "jsonpath={.spec.ports[0].nodePort}");

            // From the node: every pod answers the ClusterIP in turn, and the NodePort on 127.0.0.1.
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            Assert.Equal(pods, await AnswersAsync(http, $"http://{clusterIp}/", pods.Count));
            Assert.Contains(await GetAsync(http, $"http://127.0.0.1:{nodePort}/"), pods);

            // From a pod.
            await KubectlOkAsync("run", "client", "--image=busybox:1.35", "--restart=Never", "--", "sh", "-c", $"for i in $(seq 1 60); do wget -qO- http://{clusterIp}/; done");
            await KubectlOkAsync("wait", "--for=jsonpath={.status.phase}=Succeeded", "pod/client", "--timeout=60s");
            Assert.Equal(pods, (await KubectlOkAsync("logs", "client")).Split('\n').Distinct().Order(StringComparer.Ordinal));

            // Hairpin: a pod reaches itself through its service.
            Assert.Contains(pods[0], (await KubectlOkAsync("exec", pods[0], "--", "sh", "-c", $"for i in $(seq 1 40); do wget -qO- http://{clusterIp}/; done")).Split('\n'));

            // externalTrafficPolicy: Local: the NodePort goes to this node's own endpoints (its SVL chain), all of them here.
            await KubectlOkAsync("patch", "svc", "web", "-p", "{\"spec\":{\"externalTrafficPolicy\":\"Local\"}}");
            await Eventually.WaitForAsync(async () => (await HostCommand.RunAsync("iptables", "-w", "-t", "nat", "-S")).Output, v => v.Contains("-N FLOTILLA-SVL-", StringComparison.Ordinal));
            Assert.Equal(pods, await AnswersAsync(http, $"http://127.0.0.1:{nodePort}/", pods.Count));

            // ClientIP affinity: one pod for every request from here on.
            await KubectlOkAsync("patch", "svc", "web", "-p", "{\"spec\":{\"sessionAffinity\":\"ClientIP\"}}");
            await Eventually.WaitForAsync(async () => (await HostCommand.RunAsync("iptables", "-w", "-t", "nat", "-S")).Output, v => v.Contains("--rcheck", StringComparison.Ordinal));
            var first = await GetAsync(http, $"http://{clusterIp}/");
            for (var i = 0; i < 10; i++)
            {
                Assert.Equal(first, await GetAsync(http, $"http://{clusterIp}/"));
            }

            // A LoadBalancer: the node's address (127.0.0.1 for up's node) in its status, answering on the service port;
            // a second one on the same port waits, with an event saying which service holds it.
            await KubectlOkAsync("expose", "deployment", "web", "--name=lb", "--port=8081", "--target-port=8080", "--type=LoadBalancer");
            Assert.Equal("127.0.0.1", await WaitForAsync(() => KubectlOkAsync("get", "svc", "lb", "-o", "jsonpath={.status.loadBalancer.ingress[*].ip}"), v => v.Length > 0));
            Assert.Contains(await Eventually.WaitForAsync(async () => await TryGetAsync(http, "http://127.0.0.1:8081/") ?? string.Empty, v => v.Length > 0), pods);
            await KubectlOkAsync("create", "service", "loadbalancer", "lb2", "--tcp=8081:8080");
            Assert.Contains(
                "port 8081/TCP is already used by load balancer service default/lb",
                await WaitForAsync(() => KubectlOkAsync("get", "events", "--field-selector", "involvedObject.name=lb2,reason=SyncLoadBalancerFailed", "-o", "jsonpath={.items[*].message}"), v => v.Length > 0),
                StringComparison.Ordinal);
            Assert.Matches(@"^lb2\s+LoadBalancer\s+\S+\s+<pending>\s", await KubectlOkAsync("get", "svc", "lb2", "--no-headers"));

            // No endpoints: refused, not left to time out.
            await KubectlOkAsync("create", "service", "clusterip", "nothing", "--tcp=80:8080");
            var nothing = await KubectlOkAsync("get", "svc", "nothing", "-o", "jsonpath={.spec.clusterIP}");
            await Eventually.WaitForAsync(async () => (await HostCommand.RunAsync("iptables", "-w", "-S", "FLOTILLA-SERVICES")).Output, v => v.Contains(nothing, StringComparison.Ordinal));
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync(new Uri($"http://{nothing}/")));
            Assert.Equal(SocketError.ConnectionRefused, (refused.InnerException as SocketException)?.SocketErrorCode);

            up.Terminate();
            Assert.Equal(0, await up.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        var (code, _, stderr) = await FlotillaProcess.RunAsync("reset", "--data-dir", DataDir);
        Assert.True(code == 0, stderr);

        // None of this node's chains is left: the proxy's, and the masquerade of its bridge (the kubelet tests' nodes,
        // running meanwhile, have chains of their own bridges).
        Assert.DoesNotContain(
            (await HostCommand.RunAsync("iptables-save")).Output.Split('\n'),
            l => l.Contains("FLOTILLA-", StringComparison.Ordinal) && (!l.Contains("FLOTILLA-MASQ-", StringComparison.Ordinal) || l.Contains("FLOTILLA-MASQ-flotilla0", StringComparison.Ordinal)));
    }

    private const string Unready = """
        {"spec": {"containers": [{"name": "unready", "image": "busybox:1.35",
          "command": ["sh", "-c", "mkdir /w && hostname > /w/index.html && exec httpd -f -p 8080 -h /w"],
          "readinessProbe": {"exec": {"command": ["false"]}, "periodSeconds": 1}}]}}
        """;

    /// <summary>Asks until every one of <paramref name="count"/> pods has answered (or 60 tries): the distinct answers, sorted.</summary>
    private static async Task<List<string>> AnswersAsync(HttpClient http, string url, int count)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 60 && seen.Count < count; i++)
        {
            seen.Add(await GetAsync(http, url));
        }

        return [.. seen.Order(StringComparer.Ordinal)];
    }

    private static async Task<string> GetAsync(HttpClient http, string url) => (await http.GetStringAsync(new Uri(url))).Trim();

    /// <summary>The answer, or null while the rules are not in yet.</summary>
    private static async Task<string?> TryGetAsync(HttpClient http, string url)
    {
        try
        {
            return await GetAsync(http, url);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
