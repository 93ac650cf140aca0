using System.CommandLine;
using System.Diagnostics;
using System.Net;
using Flotilla.ApiServer;
using Flotilla.ApiServer.Auth;
using Flotilla.ApiServer.Registry;
using Flotilla.ApiServer.Watch;
using Flotilla.Storage.Sqlite;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;

namespace Flotilla.Bench.Auth;

/// <summary>
/// <c>auth</c>: the per-request cost of authentication (client certificate) plus authorization with N RoleBindings
/// in the cluster (RBAC), and of a kubelet's reads with M pods bound to 100 nodes (the Node authorizer's graph),
/// measured on the API server's own objects, in process.
/// </summary>
public static class AuthBenchmark
{
    public static Command Command()
    {
        var bindings = new Option<int>("--bindings") { Description = "RoleBindings in the cluster", DefaultValueFactory = _ => 1000 };
        var pods = new Option<int>("--pods") { Description = "Pods bound to nodes, each with its own secret and a shared pull secret", DefaultValueFactory = _ => 1000 };
        var requests = new Option<int>("--requests") { Description = "Authorization decisions measured", DefaultValueFactory = _ => 100_000 };
        var command = new Command("auth", "Authentication + RBAC and Node authorization overhead per request") { bindings, pods, requests };
        command.SetAction((parsed, cancellationToken) => RunAsync(parsed.GetValue(bindings), parsed.GetValue(pods), parsed.GetValue(requests), cancellationToken));
        return command;
    }

    private const int Nodes = 100;

    private static async Task<int> RunAsync(int bindingCount, int podCount, int requests, CancellationToken cancellationToken)
    {
        var dir = Path.Combine(Path.GetTempPath(), "flotilla-bench-auth-" + Guid.NewGuid().ToString("N")[..8]);
        var store = SqliteStore.Open(new SqliteStoreOptions { Path = Path.Combine(dir, "state.db") });
        var pki = ClusterPki.LoadOrCreate(Path.Combine(dir, "tls"), [], TimeProvider.System);

        // Served over TLS as flotilla serves it: the Node authorizer's graph is kept only then.
        var app = ApiServerHost.Build(new ApiServerOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), Tls = new ApiServerTls(pki.Server, pki.Ca) }, store);
        try
        {
            await app.StartAsync(cancellationToken);
            await ApiServerHost.BootstrapAsync(app, new IPEndPoint(IPAddress.Loopback, 6443), cancellationToken);
            var registry = app.Services.GetRequiredService<ResourceRegistry>();
            var roles = registry.Find("rbac.authorization.k8s.io", "v1", "roles")!;
            var bindings = registry.Find("rbac.authorization.k8s.io", "v1", "rolebindings")!;
            await roles.CreateAsync("default", new V1Role
            {
                Metadata = new V1ObjectMeta { Name = "pod-reader" },
                Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["pods"], Verbs = ["get", "list", "watch"] }],
            }, dryRun: false, admission: null, cancellationToken);
            for (var i = 0; i < bindingCount; i++)
            {
                await bindings.CreateAsync("default", new V1RoleBinding
                {
                    Metadata = new V1ObjectMeta { Name = $"b{i}" },
                    RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "pod-reader" },
                    Subjects = [new Rbacv1Subject { ApiGroup = "rbac.authorization.k8s.io", Kind = "User", Name = $"user-{i}" }],
                }, dryRun: false, admission: null, cancellationToken);
            }

            await app.Services.GetRequiredService<CacheSet>().WaitFreshAsync(cancellationToken);
            var authenticator = new ClientCertificateAuthenticator(pki.Ca, TimeProvider.System);
            var authorizer = app.Services.GetRequiredService<Authorizer>();
            var certificate = pki.IssueClient($"user-{bindingCount - 1}", ["team"], TimeProvider.System);
            Console.WriteLine($"auth: {bindingCount} RoleBindings stored, measuring {requests} requests");

            var (samples, allowed) = Measure(requests, i =>
            {
                var (user, _) = authenticator.Authenticate(certificate);
                return authorizer.Allows(new Attributes(user!, i % 2 == 0 ? "list" : "delete", true, Resource: "pods", Namespace: "default"));
            });

            await StorePodsAsync(registry, podCount, cancellationToken);
            var kubelet = pki.IssueClient("system:node:node-0", ["system:nodes"], TimeProvider.System);
            Console.WriteLine($"auth: {podCount} pods on {Nodes} nodes stored, measuring {requests} kubelet requests");
            await WaitForGraphAsync(authorizer, podCount, cancellationToken);

            // Its own pod's secret, the pull secret every pod shares, another node's pod's secret.
            var (nodeSamples, nodeAllowed) = Measure(requests, i =>
            {
                var (user, _) = authenticator.Authenticate(kubelet);
                var secret = (i % 3) switch { 0 => "secret-0", 1 => "pull", _ => "secret-1" };
                return authorizer.Allows(new Attributes(user!, "get", true, Resource: "secrets", Namespace: "default", Name: secret));
            });

            var report = new Report();
            report.Row($"authn + RBAC per request ({bindingCount} bindings)", $"p50 {samples[requests / 2]:F1} µs, p99 {samples[(int)(requests * 0.99)]:F1} µs");
            report.Row("decisions allowed / denied", $"{allowed} / {requests - allowed}");
            report.Row($"authn + Node authorizer per kubelet read ({podCount} pods)", $"p50 {nodeSamples[requests / 2]:F1} µs, p99 {nodeSamples[(int)(requests * 0.99)]:F1} µs");
            report.Row("kubelet reads allowed / denied", $"{nodeAllowed} / {requests - nodeAllowed}");
            report.Figure("bindings", bindingCount);
            report.Figure("p50_us", samples[requests / 2]);
            report.Figure("p99_us", samples[(int)(requests * 0.99)]);
            report.Figure("pods", podCount);
            report.Figure("node_p50_us", nodeSamples[requests / 2]);
            report.Figure("node_p99_us", nodeSamples[(int)(requests * 0.99)]);
            report.Print("metric", "result");
            return allowed == (requests + 1) / 2 && nodeAllowed == (requests + 2) / 3 + (requests + 1) / 3 ? 0 : 1;
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
            await store.DisposeAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Each decision's time, sorted, and how many were allowed.</summary>
    private static (double[] Samples, int Allowed) Measure(int requests, Func<int, bool> decide)
    {
        var samples = new double[requests];
        var allowed = 0;
        for (var i = 0; i < requests; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            if (decide(i))
            {
                allowed++;
            }

            samples[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
        }

        Array.Sort(samples);
        return (samples, allowed);
    }

    /// <summary>Pod i on node i % 100, with secret-i in a volume and the shared <c>pull</c> image pull secret.</summary>
    private static async Task StorePodsAsync(ResourceRegistry registry, int count, CancellationToken cancellationToken)
    {
        var pods = registry.Find("", "v1", "pods")!;
        for (var i = 0; i < count; i++)
        {
            await pods.CreateAsync("default", new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = $"pod-{i}" },
                Spec = new V1PodSpec
                {
                    NodeName = $"node-{i % Nodes}",
                    Containers = [new V1Container { Name = "app", Image = "busybox:1.35" }],
                    ImagePullSecrets = [new V1LocalObjectReference { Name = "pull" }],
                    Volumes = [new V1Volume { Name = "s", Secret = new V1SecretVolumeSource { SecretName = $"secret-{i}" } }],
                },
            }, dryRun: false, admission: null, cancellationToken);
        }
    }

    private static async Task WaitForGraphAsync(Authorizer authorizer, int podCount, CancellationToken cancellationToken)
    {
        var last = podCount - 1;
        var user = new UserInfo($"system:node:node-{last % Nodes}", ["system:nodes"]);
        while (!authorizer.Allows(new Attributes(user, "get", true, Resource: "secrets", Namespace: "default", Name: $"secret-{last}")))
        {
            await Task.Delay(10, cancellationToken);
        }
    }
}
