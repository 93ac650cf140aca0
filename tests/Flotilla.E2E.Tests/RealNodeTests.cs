namespace Flotilla.E2E.Tests;

/// <summary>
/// <c>./flotilla up</c> (its default: one real node) with the real kubectl: a real node (containerd + runc, the offline
/// busybox and pause images) runs pods with IPs on its subnet that reach each other, reports exit codes and
/// termination messages, shows their logs, and <c>flotilla reset</c> removes every container, the bridge and its nat chain.
/// </summary>
[Collection(RealNodes.Name)]
public sealed class RealNodeTests() : OwnClusterTest("real")
{
    [Fact]
    public async Task ARealNode_RunsContainers_ThatServeEachOther_AndResetRemovesThem()
    {
        await using (var up = await UpAsync())
        {
            var node = await WaitForAsync(() => KubectlOkAsync("get", "nodes", "--no-headers", "-o", "custom-columns=READY:.status.conditions[?(@.type==\"Ready\")].status,RUNTIME:.status.nodeInfo.containerRuntimeVersion,CIDR:.spec.podCIDR"), v => v.StartsWith("True", StringComparison.Ordinal));
            Assert.Matches(@"^True\s+containerd://1\.6\.\S+\s+10\.42\.0\.0/24$", node);

            // Two web servers, and a client pod that fetches each one's hostname over the pod network.
            await KubectlOkAsync("create", "deployment", "web", "--image=busybox:1.35", "--replicas=2", "--", "httpd", "-f", "-p", "8080", "-h", "/etc");
            Assert.Contains("successfully rolled out", await KubectlOkAsync("rollout", "status", "deploy/web", "--timeout=60s"), StringComparison.Ordinal);
            var pods = (await KubectlOkAsync("get", "pods", "-l", "app=web", "-o", "jsonpath={range .items[*]}{.metadata.name}={.status.podIP} {end}")).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).ToList();
            Assert.All(pods, p => Assert.Matches(@"^10\.42\.0\.\d+$", p[1]));
            var fetch = string.Join("; ", pods.Select(p => $"wget -qO- http://{p[1]}:8080/hostname"));
            await KubectlOkAsync("run", "client", "--image=busybox:1.35", "--restart=Never", "--", "sh", "-c", fetch);
            await KubectlOkAsync("wait", "--for=jsonpath={.status.phase}=Succeeded", "pod/client", "--timeout=60s");
            Assert.Equal(pods.Select(p => p[0]).Order(StringComparer.Ordinal), (await KubectlOkAsync("logs", "client")).Split('\n').Order(StringComparer.Ordinal));

            // A failing container: its exit code, reason and termination message, as the runtime reports them.
            await KubectlOkAsync("run", "oops", "--image=busybox:1.35", "--restart=Never", "--", "sh", "-c", "echo 'disk full' > /dev/termination-log; exit 3");
            await KubectlOkAsync("wait", "--for=jsonpath={.status.phase}=Failed", "pod/oops", "--timeout=60s");
            Assert.Equal("3 Error disk full", await KubectlOkAsync("get", "pod", "oops", "-o", "jsonpath={.status.containerStatuses[0].state.terminated.exitCode} {.status.containerStatuses[0].state.terminated.reason} {.status.containerStatuses[0].state.terminated.message}"));

            // Env and volumes: two containers sharing an emptyDir and localhost, a ConfigMap and a Secret as env and
            // files, the downward API, the ServiceAccount token.
            await KubectlOkAsync("create", "configmap", "app", "--from-literal=greeting=hello");
            await KubectlOkAsync("create", "secret", "generic", "creds", "--from-literal=password=s3cret");
            var applied = await FlotillaProcess.KubectlAsync(DataDir, Files, "apply", "-f", "-");
            Assert.True(applied.Code == 0, applied.Stderr);
            await WaitForAsync(() => KubectlOkAsync("get", "pod", "files", "-o", "jsonpath={.status.containerStatuses[?(@.name==\"reader\")].state.terminated.reason}"), v => v.Length > 0);
            Assert.Equal(
                ["shared", "shared", "hello s3cret files 64 10.43.0.1", "hello", "app=\"files\"", "eyJ default"],
                (await KubectlOkAsync("logs", "files", "-c", "reader")).Split('\n'));

            // What cannot be made yet says why, as upstream's kubelet does.
            await KubectlOkAsync("run", "badenv", "--image=busybox:1.35", "--restart=Never", "--overrides={\"spec\":{\"containers\":[{\"name\":\"badenv\",\"image\":\"busybox:1.35\",\"command\":[\"sleep\",\"3600\"],\"env\":[{\"name\":\"X\",\"valueFrom\":{\"configMapKeyRef\":{\"name\":\"nope\",\"key\":\"k\"}}}]}]}}");
            Assert.Equal("CreateContainerConfigError configmap \"nope\" not found", await WaitForAsync(() => KubectlOkAsync("get", "pod", "badenv", "-o", "jsonpath={.status.containerStatuses[0].state.waiting.reason} {.status.containerStatuses[0].state.waiting.message}"), v => v.StartsWith("CreateContainerConfigError", StringComparison.Ordinal)));
            await KubectlOkAsync("run", "badvol", "--image=busybox:1.35", "--restart=Never", "--overrides={\"spec\":{\"containers\":[{\"name\":\"badvol\",\"image\":\"busybox:1.35\",\"volumeMounts\":[{\"name\":\"v\",\"mountPath\":\"/v\"}]}],\"volumes\":[{\"name\":\"v\",\"configMap\":{\"name\":\"missing\"}}]}}");
            Assert.Matches(@"^badvol\s+0/1\s+ContainerCreating\s", await WaitForAsync(() => KubectlOkAsync("get", "pod", "badvol", "--no-headers"), v => v.Contains("ContainerCreating", StringComparison.Ordinal)));
            Assert.Contains("MountVolume.SetUp failed for volume \"v\" : configmap \"missing\" not found", await KubectlOkAsync("get", "events", "--field-selector", "involvedObject.name=badvol,reason=FailedMount", "-o", "jsonpath={.items[*].message}"), StringComparison.Ordinal);

            // Limits, security and the pod's own files: cgroup values, users, a read-only root, /etc/hosts; a container
            // over its memory limit is OOMKilled; runAsNonRoot refuses busybox's root user.
            var limited = await FlotillaProcess.KubectlAsync(DataDir, Limited, "apply", "-f", "-");
            Assert.True(limited.Code == 0, limited.Stderr);
            await KubectlOkAsync("wait", "--for=jsonpath={.status.phase}=Succeeded", "pod/limited", "--timeout=60s");
            Assert.Equal(
                ["uid=1000 gid=3000 groups=2000,3000", "67108864", "50000 256", "touch: /x: Read-only file system", "NoNewPrivs:\t1", "box.grp.default.svc.cluster.local box"],
                (await KubectlOkAsync("logs", "limited")).Split('\n'));
            await KubectlOkAsync("wait", "--for=jsonpath={.status.phase}=Failed", "pod/oom", "--timeout=60s");
            Assert.Equal("OOMKilled 137", await KubectlOkAsync("get", "pod", "oom", "-o", "jsonpath={.status.containerStatuses[0].state.terminated.reason} {.status.containerStatuses[0].state.terminated.exitCode}"));
            Assert.StartsWith("container has runAsNonRoot and image will run as root (pod: \"nonroot_default(", await WaitForAsync(() => KubectlOkAsync("get", "pod", "nonroot", "-o", "jsonpath={.status.containerStatuses[0].state.waiting.message}"), v => v.Length > 0), StringComparison.Ordinal);
            Assert.Empty(await KubectlOkAsync("get", "events", "--field-selector", "involvedObject.name=limited,reason=MissingClusterDNS", "-o", "jsonpath={.items[*].message}"));

            // A local-path claim: the provisioner's helper pod makes its directory on the node, a non-root pod writes there.
            var claimed = await FlotillaProcess.KubectlAsync(DataDir, Claimed, "apply", "-f", "-");
            Assert.True(claimed.Code == 0, claimed.Stderr);
            await KubectlOkAsync("wait", "--for=jsonpath={.status.phase}=Succeeded", "pod/writer", "--timeout=90s");
            var volume = await KubectlOkAsync("get", "pvc", "data", "-o", "jsonpath={.spec.volumeName}");
            Assert.Equal("persisted\n", await File.ReadAllTextAsync(Path.Combine(DataDir, "storage", $"{volume}_default_data", "file")));

            up.Terminate();
            Assert.Equal(0, await up.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        // The pods outlive the node's processes (as upstream's do) until the data dir is reset.
        Assert.Contains(await ShimsAsync(), line => line.Contains(DataDir, StringComparison.Ordinal));
        var (code, _, stderr) = await FlotillaProcess.RunAsync("reset", "--data-dir", DataDir);
        Assert.True(code == 0, stderr);
        await WaitForAsync(async () => string.Join('\n', (await ShimsAsync()).Where(l => l.Contains(DataDir, StringComparison.Ordinal))), v => v.Length == 0);
        Assert.False(Directory.Exists(Path.Combine(DataDir, "containerd")));
        Assert.NotEqual(0, (await HostCommand.RunAsync("ip", "link", "show", "flotilla0")).Code);
        Assert.DoesNotContain("FLOTILLA-MASQ-flotilla0", (await HostCommand.RunAsync("iptables", "-w", "-t", "nat", "-S")).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAgentProcess_JoinsWithARealNode_ThatRunsPods()
    {
        var agentDir = DataDir + "-agent";
        try
        {
            await using var up = FlotillaProcess.Start("up", "--data-dir", DataDir, "--listen", "127.0.0.1:0", "--nodes", "0");
            var kubeconfig = Path.Combine(DataDir, "kubeconfig");
            await up.WaitForKubeconfigServerAsync(kubeconfig);
            await WaitForAsync(() => KubectlOkAsync("get", "serviceaccount", "default", "-o", "name", "--ignore-not-found"), v => v.Length > 0);
            await using (var agent = FlotillaProcess.Start("agent", "--kubeconfig", kubeconfig, "--data-dir", agentDir, "--node-name", "edge"))
            {
                Assert.Matches(@"^edge\s+Ready\s", await WaitForAsync(() => KubectlOkAsync("get", "node", "edge", "--no-headers", "--ignore-not-found"), v => v.Contains(" Ready ", StringComparison.Ordinal)));
                await KubectlOkAsync("run", "hello", "--image=busybox:1.35", "--restart=Never", "--", "sh", "-c", "echo hello from the agent");
                await KubectlOkAsync("wait", "--for=jsonpath={.status.phase}=Succeeded", "pod/hello", "--timeout=60s");

                // The agent's kubelet serves a self-signed certificate the API server does not trust unless told to.
                Assert.Equal("hello from the agent", await KubectlOkAsync("logs", "hello", "--insecure-skip-tls-verify-backend"));
                agent.Terminate();
                Assert.Equal(0, await agent.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            }

            up.Terminate();
            Assert.Equal(0, await up.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            await FlotillaProcess.RunAsync("reset", "--data-dir", agentDir);
            if (Directory.Exists(agentDir))
            {
                Directory.Delete(agentDir, recursive: true);
            }
        }

        Assert.DoesNotContain(await ShimsAsync(), line => line.Contains(agentDir, StringComparison.Ordinal));
    }

    /// <summary>The containerd shims running (zombies aside), one line each with its arguments.</summary>
    private static async Task<IReadOnlyList<string>> ShimsAsync()
    {
        var (_, output) = await HostCommand.RunAsync("ps", "-eo", "stat=,args=");
        return [.. output.Split('\n').Where(l => l.Contains("containerd-shim", StringComparison.Ordinal) && !l.TrimStart().StartsWith('Z'))];
    }

    private const string Files = """
        apiVersion: v1
        kind: Pod
        metadata: {name: files, labels: {app: files}}
        spec:
          restartPolicy: Never
          containers:
          - name: writer
            image: busybox:1.35
            command: [sh, -c, "echo shared > /cache/msg; exec httpd -f -p 8080 -h /cache"]
            volumeMounts: [{name: cache, mountPath: /cache}]
          - name: reader
            image: busybox:1.35
            command: [sh, -c]
            args:
            - |
              until [ -f /cache/msg ] && wget -qO- http://localhost:8080/msg >/dev/null 2>&1; do sleep 0.2; done
              cat /cache/msg; wget -qO- http://localhost:8080/msg
              echo "$GREETING $PASSWORD $(POD_NAME) $MEM $KUBERNETES_SERVICE_HOST"
              cat /config/greeting; echo; cat /podinfo/labels; echo
              echo "$(head -c 3 /var/run/secrets/kubernetes.io/serviceaccount/token) $(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace)"
            env:
            - {name: GREETING, valueFrom: {configMapKeyRef: {name: app, key: greeting}}}
            - {name: PASSWORD, valueFrom: {secretKeyRef: {name: creds, key: password}}}
            - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
            - {name: MEM, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}}
            resources: {limits: {memory: 64Mi}}
            volumeMounts:
            - {name: cache, mountPath: /cache}
            - {name: config, mountPath: /config}
            - {name: podinfo, mountPath: /podinfo}
          volumes:
          - {name: cache, emptyDir: {}}
          - {name: config, configMap: {name: app}}
          - {name: podinfo, downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}}
        """;

    private const string Limited = """
        apiVersion: v1
        kind: Pod
        metadata: {name: limited}
        spec:
          restartPolicy: Never
          hostname: box
          subdomain: grp
          securityContext: {runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000}
          containers:
          - name: main
            image: busybox:1.35
            command: [sh, -c]
            args:
            - |
              id
              cat /sys/fs/cgroup/memory/memory.limit_in_bytes
              echo "$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/cpu/cpu.shares)"
              touch /x 2>&1
              grep NoNewPrivs /proc/self/status
              tail -1 /etc/hosts | cut -f2,3 | tr '\t' ' '
            resources: {requests: {cpu: 250m, memory: 32Mi}, limits: {cpu: 500m, memory: 64Mi}}
            securityContext: {readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: oom}
        spec:
          restartPolicy: Never
          containers:
          - name: hog
            image: busybox:1.35
            command: [sh, -c, "x=aaaaaaaaaaaaaaaa; while true; do x=$x$x; done"]
            resources: {limits: {memory: 16Mi}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: nonroot}
        spec:
          securityContext: {runAsNonRoot: true}
          containers: [{name: c, image: busybox:1.35, command: [sleep, "3600"]}]
        """;

    private const string Claimed = """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data}
        spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: writer}
        spec:
          restartPolicy: Never
          automountServiceAccountToken: false
          securityContext: {runAsUser: 1000}
          containers: [{name: c, image: busybox:1.35, command: [sh, -c, "echo persisted > /data/file"], volumeMounts: [{name: d, mountPath: /data}]}]
          volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]
        """;
}
