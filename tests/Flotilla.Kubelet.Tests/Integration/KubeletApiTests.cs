using System.Net;
using System.Security.Cryptography.X509Certificates;
using Flotilla.Kubelet.Tests.Testing;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Flotilla.Kubelet.Tests.Integration;

/// <summary>
/// Node n1's kubelet API on 127.0.0.1 behind a real HTTPS API server: logs, exec and the node proxy through the API server
/// (as <c>kubectl logs</c> and <c>kubectl get --raw</c> reach it), and the kubelet's own authentication and
/// authorization (client certificates, SubjectAccessReview).
/// </summary>
public sealed class KubeletApiTests : KubeletCluster
{
    protected override bool ServesApi => true;

    [Fact]
    public async Task LogsOfARunningContainerComeThroughTheApiServer()
    {
        await CreateAsync("talker", "Never", Container("app", "sh", "-c", "echo hello; echo 'second line'; sleep 3600"));
        await EventuallyAsync(() => ReadAsync("talker"), p => p.Status?.Phase == "Running");

        Assert.Equal("hello\nsecond line\n", await LogAsync("talker"));
        Assert.Equal("second line\n", await LogAsync("talker", tailLines: 1));
        Assert.Equal("hel", await LogAsync("talker", limitBytes: 3));
        var stamped = await LogAsync("talker", timestamps: true);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z hello\n", stamped);
    }

    [Fact]
    public async Task AFollowedLogEndsWhenTheContainerDoes()
    {
        // sleep 20 at speed 10: two seconds.
        await CreateAsync("brief", "Never", Container("app", "sh", "-c", "echo started; sleep 20"));
        await EventuallyAsync(() => ReadAsync("brief"), p => p.Status?.Phase == "Running");

        var followed = Admin.CoreV1.ReadNamespacedPodLogAsync("brief", "default", follow: true);
        Assert.Equal("started\n", await followed.WaitAsync(TimeSpan.FromSeconds(15)).ContinueWith(t => ReadAllAsync(t.Result)).Unwrap());
        await EventuallyAsync(() => ReadAsync("brief"), p => p.Status?.Phase == "Succeeded");
    }

    [Fact]
    public async Task AContainerNotStartedYetHasNoLog()
    {
        await CreateAsync("pulling", "Never", new V1Container { Name = "app", Image = "registry.invalid/app:1" });
        await EventuallyAsync(() => ReadAsync("pulling"), p => p.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Waiting?.Reason is "ErrImagePull" or "ImagePullBackOff");

        var e = await Assert.ThrowsAsync<HttpOperationException>(() => LogAsync("pulling"));
        Assert.Equal(HttpStatusCode.BadRequest, e.Response.StatusCode);
        Assert.Matches("""^container "app" in pod "pulling" is waiting to start: (image can't be pulled|trying and failing to pull image)$""", Message(e));

        var previous = await Assert.ThrowsAsync<HttpOperationException>(() => LogAsync("pulling", previous: true));
        Assert.Equal("""previous terminated container "app" in pod "pulling" not found""", Message(previous));
    }

    [Fact]
    public async Task TheApiServerChoosesTheContainerAndValidatesTheOptions()
    {
        var pod = Pod("pair", "Never", Container("a", "sh", "-c", "echo from-a; sleep 3600"));
        pod.Spec.Containers.Add(Container("b", "sh", "-c", "echo from-b; sleep 3600"));
        await Admin.CoreV1.CreateNamespacedPodAsync(pod, "default");
        await EventuallyAsync(() => ReadAsync("pair"), p => p.Status?.Phase == "Running");

        Assert.Equal("from-b\n", await LogAsync("pair", container: "b"));
        var none = await Assert.ThrowsAsync<HttpOperationException>(() => LogAsync("pair"));
        Assert.Equal(HttpStatusCode.BadRequest, none.Response.StatusCode);
        Assert.Equal("a container name must be specified for pod pair, choose one of: [a b]", Message(none));
        var wrong = await Assert.ThrowsAsync<HttpOperationException>(() => LogAsync("pair", container: "c"));
        Assert.Equal("container c is not valid for pod pair", Message(wrong));
        var negative = await Assert.ThrowsAsync<HttpOperationException>(() => LogAsync("pair", container: "a", tailLines: -1));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, negative.Response.StatusCode);
        Assert.Equal("""PodLogOptions "pair" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0""", Message(negative));
    }

    [Fact]
    public async Task AFailedContainerFallsBackToItsLogForItsMessage()
    {
        var container = Container("app", "sh", "-c", "echo 'cannot open config'; exit 2");
        container.TerminationMessagePolicy = "FallbackToLogsOnError";
        await CreateAsync("fallback", "Never", container);

        var pod = await EventuallyAsync(() => ReadAsync("fallback"), p => p.Status?.Phase == "Failed");
        Assert.Equal("cannot open config\n", pod.Status.ContainerStatuses[0].State.Terminated.Message);
    }

    [Fact]
    public async Task TheNodeProxyReachesTheKubelet()
    {
        await CreateAsync("listed", "Never", Container("app", "sleep", "3600"));
        await EventuallyAsync(() => ReadAsync("listed"), p => p.Status?.Phase == "Running");

        Assert.Equal("ok", await RawAsync(Admin, "/api/v1/nodes/n1/proxy/healthz"));
        var pods = KubernetesJson.Deserialize<V1PodList>(await RawAsync(Admin, "/api/v1/nodes/n1/proxy/pods"));
        var listed = Assert.Single(pods.Items, p => p.Metadata.Name == "listed");
        Assert.Equal("Running", listed.Status.Phase);
        Assert.Equal("404 page not found", await RawAsync(Admin, "/api/v1/nodes/n1/proxy/nothing-here", HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task TheKubeletAuthenticatesAndAuthorizesItsCallers()
    {
        var node = await ReadNodeAsync();
        var kubelet = new Uri($"https://127.0.0.1:{node.Status.DaemonEndpoints.KubeletEndpoint.Port}");
        Assert.Equal(Server!["n1"].Port, kubelet.Port);

        // The node reports its port a moment before its kubelet serves the API there (503 "the kubelet is starting").
        await EventuallyAsync(() => KubeletGetAsync(kubelet, null), r => r.Status != HttpStatusCode.ServiceUnavailable);

        // No identity: 401. A user RBAC gives nothing: 403 with upstream's words. The API server's identity: allowed.
        Assert.Equal((HttpStatusCode.Unauthorized, "Unauthorized"), await KubeletGetAsync(kubelet, null));
        using var stranger = Pki.IssueClient("jane", ["developers"], TimeProvider.System);
        Assert.Equal((HttpStatusCode.Forbidden, "Forbidden (user=jane, verb=get, resource=nodes, subresource(s)=[proxy])\n"), await KubeletGetAsync(kubelet, stranger));
        using var apiServer = Pki.Component("apiserver-kubelet-client", TimeProvider.System);
        Assert.Equal((HttpStatusCode.OK, "ok"), await KubeletGetAsync(kubelet, apiServer));

        // A certificate from another CA proves nothing.
        var otherDir = Path.Combine(Path.GetTempPath(), "flotilla-otherca-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var other = Flotilla.ApiServer.Auth.ClusterPki.LoadOrCreate(otherDir, [], TimeProvider.System);
            Assert.Equal(HttpStatusCode.Unauthorized, (await KubeletGetAsync(kubelet, other.Admin)).Status);
        }
        finally
        {
            Directory.Delete(otherDir, recursive: true);
        }
    }

    [Fact]
    public async Task ExecAndPortForwardSwitchProtocolsAtTheKubelet_WhichAHollowNodeRefuses()
    {
        var pod = Pod("shell", "Never", Container("a", "sleep", "3600"));
        pod.Spec.Containers.Add(Container("b", "sleep", "3600"));
        await Admin.CoreV1.CreateNamespacedPodAsync(pod, "default");
        await EventuallyAsync(() => ReadAsync("shell"), p => p.Status?.Phase == "Running");

        // The API server checks the pod and container first, as for logs; a request that cannot switch protocols is refused.
        Assert.Contains("a container name must be specified for pod shell, choose one of: [a b]", await UpgradeAsync("exec?command=true&stdout=true", HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("container c is not valid for pod shell", await UpgradeAsync("attach?container=c&stdout=true", HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("invalid port \"0\"", await UpgradeAsync("portforward?ports=0", HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("Upgrade request required", await RawAsync(Admin, "/api/v1/namespaces/default/pods/shell/exec?command=true&container=a&stdout=true", HttpStatusCode.BadRequest), StringComparison.Ordinal);

        // The kubelet is asked, and says why not before switching: nothing runs on a hollow node.
        Assert.Contains("exec is not possible on a hollow node", await UpgradeAsync("exec?command=true&container=a&stdout=true", HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("port-forward is not possible on a hollow node", await UpgradeAsync("portforward", HttpStatusCode.BadRequest, "SPDY/3.1+portforward.k8s.io"), StringComparison.Ordinal);
        Assert.Contains("you must specify at least 1 of stdin, stdout, stderr", await UpgradeAsync("exec?command=true&container=a", HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheMetricsApi_ServesWhatTheKubeletReads()
    {
        await CreateAsync("busy", "Never", Container("app", "sleep", "3600"));
        await EventuallyAsync(() => ReadAsync("busy"), p => p.Status?.Phase == "Running");

        // The kubelet's own readings, through the node proxy.
        Assert.Contains("container_cpu_usage_seconds_total{container=\"app\",namespace=\"default\",pod=\"busy\"} ", await RawAsync(Admin, "/api/v1/nodes/n1/proxy/metrics/resource"), StringComparison.Ordinal);
        using (var summary = System.Text.Json.JsonDocument.Parse(await RawAsync(Admin, "/api/v1/nodes/n1/proxy/stats/summary")))
        {
            Assert.Equal("n1", summary.RootElement.GetProperty("node").GetProperty("nodeName").GetString());
            Assert.Contains(summary.RootElement.GetProperty("pods").EnumerateArray(), p => p.GetProperty("podRef").GetProperty("name").GetString() == "busy");
        }

        // The API server reads it every second here: after two readings, the pod's rate (a hollow container's simulated millicore).
        var metrics = await EventuallyAsync(
            async () => await (await Admin.HttpClient.GetAsync(new Uri(Admin.BaseUri, "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/busy"))).Content.ReadAsStringAsync(),
            body => body.Contains("\"PodMetrics\"", StringComparison.Ordinal));
        using (var pod = System.Text.Json.JsonDocument.Parse(metrics))
        {
            var usage = Assert.Single(pod.RootElement.GetProperty("containers").EnumerateArray()).GetProperty("usage");
            Assert.Equal("1Mi", usage.GetProperty("memory").GetString());
            Assert.InRange(new ResourceQuantity(usage.GetProperty("cpu").GetString()).ToDecimal(), 0.0009m, 0.0011m);
            Assert.Equal("busy", pod.RootElement.GetProperty("metadata").GetProperty("name").GetString());
        }

        var nodes = await RawAsync(Admin, "/apis/metrics.k8s.io/v1beta1/nodes");
        Assert.Contains("\"kind\":\"NodeMetricsList\"", nodes, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"n1\"", nodes, StringComparison.Ordinal);
        Assert.Contains("\"items\":[]", await RawAsync(Admin, "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=none%3Dhere"), StringComparison.Ordinal);

        // A pod without readings is NotFound as metrics-server words it; one that does not exist, as pods do.
        await CreateAsync("pulling", "Never", new V1Container { Name = "app", Image = "registry.invalid/app:1" });
        static string? StatusMessage(string body) => System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("message").GetString();
        Assert.Equal("podmetrics.metrics.k8s.io \"default/pulling\" not found", StatusMessage(await RawAsync(Admin, "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/pulling", HttpStatusCode.NotFound)));
        Assert.Equal("pods \"nope\" not found", StatusMessage(await RawAsync(Admin, "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/nope", HttpStatusCode.NotFound)));
    }

    /// <summary>A WebSocket upgrade request to one of pod shell's streaming subresources, as kubectl 1.30+ sends it; the refusal's message.</summary>
    private async Task<string> UpgradeAsync(string subresource, HttpStatusCode expected, string protocol = "v5.channel.k8s.io")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Admin.BaseUri, $"/api/v1/namespaces/default/pods/shell/{subresource}"))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.TryAddWithoutValidation("Connection", "Upgrade");
        request.Headers.TryAddWithoutValidation("Upgrade", "websocket");
        request.Headers.TryAddWithoutValidation("Sec-WebSocket-Version", "13");
        request.Headers.TryAddWithoutValidation("Sec-WebSocket-Key", Convert.ToBase64String(new byte[16]));
        request.Headers.TryAddWithoutValidation("Sec-WebSocket-Protocol", protocol);
        using var response = await Admin.HttpClient.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{response.StatusCode}: {body}");
        return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("message").GetString()!;
    }

    private async Task<V1Node> ReadNodeAsync() =>
        await EventuallyAsync(() => Admin.CoreV1.ReadNodeAsync("n1"), n => n.Status?.DaemonEndpoints?.KubeletEndpoint?.Port == Server!["n1"].Port);

    private async Task<string> LogAsync(string pod, string? container = null, int? tailLines = null, int? limitBytes = null, bool? timestamps = null, bool? previous = null)
    {
        await using var stream = await Admin.CoreV1.ReadNamespacedPodLogAsync(pod, "default", container: container, tailLines: tailLines, limitBytes: limitBytes, timestamps: timestamps, previous: previous);
        return await ReadAllAsync(stream);
    }

    private static string? Message(HttpOperationException e) =>
        System.Text.Json.JsonDocument.Parse(e.Response.Content).RootElement.GetProperty("message").GetString();

    private static async Task<string> ReadAllAsync(Stream stream)
    {
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    private async Task<string> RawAsync(Kubernetes client, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.BaseUri, path));
        using var response = await client.HttpClient.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<(HttpStatusCode Status, string Body)> KubeletGetAsync(Uri kubelet, X509Certificate2? certificate)
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert is not null && cert.Issuer == Pki.Ca.Subject };
        if (certificate is not null)
        {
            handler.ClientCertificates.Add(certificate);
        }

        using var http = new HttpClient(handler);
        using var response = await http.GetAsync(new Uri(kubelet, "/healthz"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
