namespace Flotilla.E2E.Tests;

/// <summary>
/// The cluster DNS on <c>./flotilla up</c>'s real node, asked by pods through the resolv.conf the kubelet writes: a
/// service by its short name and FQDN, a headless service's pods, a StatefulSet pod's own name, SRV for a named port,
/// an ExternalName, PTR, NXDOMAIN; <c>kube-dns</c> is in <c>kube-system</c> at 10.43.0.10; <c>flotilla reset</c> takes
/// the address off the host, and another cluster's reset leaves it while this one serves.
/// </summary>
[Collection(RealNodes.Name)]
public sealed class ClusterDnsTests() : OwnClusterTest("dns")
{
    private const string Httpd = "mkdir /w && hostname > /w/index.html && exec httpd -f -p 8080 -h /w";

    [Fact]
    public async Task PodsResolveServices_HeadlessAndStatefulSetPods_Srv_ExternalName_Ptr()
    {
        await using (var up = await UpAsync())
        {
            Assert.Matches(@"^kube-dns\s+ClusterIP\s+10\.43\.0\.10\s+<none>\s+53/UDP,53/TCP\s", await KubectlOkAsync("get", "svc", "-n", "kube-system", "kube-dns", "--no-headers"));
            await KubectlOkAsync("create", "deployment", "web", "--image=busybox:1.35", "--replicas=2", "--", "sh", "-c", Httpd);
            await KubectlOkAsync("expose", "deployment", "web", "--port=80", "--target-port=8080", "--name=web");
            await KubectlOkAsync("patch", "svc", "web", "--type=json", "-p", """[{"op":"replace","path":"/spec/ports/0/name","value":"http"}]""");
            var manifest = Path.Combine(DataDir, "db.yaml");
            await File.WriteAllTextAsync(manifest, StatefulSet);
            await KubectlOkAsync("apply", "-f", manifest);
            await KubectlOkAsync("create", "service", "externalname", "alias", "--external-name=web.default.svc.cluster.local");
            await KubectlOkAsync("run", "client", "--image=busybox:1.35", "--restart=Never", "--", "sleep", "3600");
            Assert.Contains("successfully rolled out", await KubectlOkAsync("rollout", "status", "deploy/web", "--timeout=90s"), StringComparison.Ordinal);
            Assert.Contains("roll out complete", await KubectlOkAsync("rollout", "status", "statefulset/db", "--timeout=90s"), StringComparison.Ordinal);
            await KubectlOkAsync("wait", "--for=condition=Ready", "pod/client", "--timeout=60s");
            var webIp = await KubectlOkAsync("get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}");
            var webPods = (await KubectlOkAsync("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.name}")).Split(' ');
            var db0 = await KubectlOkAsync("get", "pod", "db-0", "-o", "jsonpath={.status.podIP}");
            var db1 = await KubectlOkAsync("get", "pod", "db-1", "-o", "jsonpath={.status.podIP}");

            Assert.Equal("nameserver 10.43.0.10", (await ExecAsync("cat /etc/resolv.conf")).Split('\n').Single(l => l.StartsWith("nameserver", StringComparison.Ordinal)));

            // The DNS serves once its informers synced and its address is free (the previous cluster's may still be going away).
            await WaitForAsync(async () => (await FlotillaProcess.KubectlAsync(DataDir, null, "exec", "client", "--", "nslookup", "web.default.svc.cluster.local")).Stdout, v => v.Contains(webIp, StringComparison.Ordinal));

            // By short name (the search path) and by FQDN, through the proxy to a web pod.
            Assert.Contains(await ExecAsync("wget -qO- http://web/"), webPods);
            Assert.Contains(await ExecAsync("wget -qO- http://web.default.svc.cluster.local./"), webPods);
            Assert.Contains($"Address: {webIp}", await ExecAsync("nslookup web.default.svc.cluster.local"), StringComparison.Ordinal);

            // Headless: every ready pod; a StatefulSet pod by its own name.
            var headless = await ExecAsync("nslookup db.default.svc.cluster.local");
            Assert.Contains($"Address: {db0}", headless, StringComparison.Ordinal);
            Assert.Contains($"Address: {db1}", headless, StringComparison.Ordinal);
            Assert.Equal("db-1", await ExecAsync("wget -qO- http://db-1.db:8080/"));

            // SRV for named ports: the service's name for a ClusterIP, each pod's for a headless service.
            Assert.Contains("service = 0 100 80 web.default.svc.cluster.local", await ExecAsync("nslookup -type=srv _http._tcp.web.default.svc.cluster.local"), StringComparison.Ordinal);
            var srv = await ExecAsync("nslookup -type=srv _pg._tcp.db.default.svc.cluster.local");
            Assert.Contains("service = 0 50 8080 db-0.db.default.svc.cluster.local", srv, StringComparison.Ordinal);
            Assert.Contains("service = 0 50 8080 db-1.db.default.svc.cluster.local", srv, StringComparison.Ordinal);

            // ExternalName: a CNAME, followed in the zone.
            var alias = await ExecAsync("nslookup alias.default.svc.cluster.local");
            Assert.Contains("canonical name = web.default.svc.cluster.local", alias, StringComparison.Ordinal);
            Assert.Contains($"Address: {webIp}", alias, StringComparison.Ordinal);
            Assert.Contains(await ExecAsync("wget -qO- http://alias/"), webPods);

            // Reverse names, and a name that is not there.
            Assert.Contains("name = web.default.svc.cluster.local", await ExecAsync($"nslookup {webIp}"), StringComparison.Ordinal);
            Assert.Contains("name = db-0.db.default.svc.cluster.local", await ExecAsync($"nslookup {db0}"), StringComparison.Ordinal);
            Assert.Contains("NXDOMAIN", await ExecAsync("nslookup nothing.default.svc.cluster.local || true"), StringComparison.Ordinal);

            // Another cluster's reset (its servers stopped) leaves the address this one serves on.
            var other = Path.Combine(DataDir, "other");
            Directory.CreateDirectory(Path.Combine(other, "tls"));
            var (otherCode, _, otherError) = await FlotillaProcess.RunAsync("reset", "--data-dir", other);
            Assert.True(otherCode == 0, otherError);
            Assert.Contains("10.43.0.10/32", (await HostCommand.RunAsync("ip", "address", "show", "dev", "lo")).Output, StringComparison.Ordinal);
            Assert.Contains($"Address: {webIp}", await ExecAsync("nslookup web.default.svc.cluster.local"), StringComparison.Ordinal);

            up.Terminate();
            Assert.Equal(0, await up.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        var (code, _, stderr) = await FlotillaProcess.RunAsync("reset", "--data-dir", DataDir);
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("10.43.0.10/32", (await HostCommand.RunAsync("ip", "address", "show", "dev", "lo")).Output, StringComparison.Ordinal);
    }

    private const string StatefulSet = """
        apiVersion: v1
        kind: Service
        metadata: {name: db}
        spec:
          clusterIP: None
          selector: {app: db}
          ports: [{name: pg, port: 8080}]
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          serviceName: db
          replicas: 2
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec:
              containers:
              - name: db
                image: busybox:1.35
                command: [sh, -c, "mkdir /w && hostname > /w/index.html && exec httpd -f -p 8080 -h /w"]
                readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
        """;

    /// <summary>
    /// A shell command in the client pod: what it printed, trimmed. Tried three times, as a resolver retries a lost UDP
    /// query; a failure shows all it printed.
    /// </summary>
    private async Task<string> ExecAsync(string command)
    {
        var tries = new List<string>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var (code, stdout, stderr) = await FlotillaProcess.KubectlAsync(DataDir, null, "exec", "client", "--", "sh", "-c", command);
            if (code == 0)
            {
                return stdout.Trim();
            }

            tries.Add($"exit {code}: {stdout}{stderr}");
            await Task.Delay(500);
        }

        throw new Xunit.Sdk.XunitException($"{command} failed three times:\n{string.Join("\n", tries)}");
    }
}
