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
/// <c>auth</c>: the per-request cost of authentication (client certificate) plus authorization (RBAC) with N
/// RoleBindings in the cluster, measured on the API server's own objects, in process.
/// </summary>
public static class AuthBenchmark
{
    public static Command Command()
    {
        var bindings = new Option<int>("--bindings") { Description = "RoleBindings in the cluster", DefaultValueFactory = _ => 1000 };
        var requests = new Option<int>("--requests") { Description = "Authorization decisions measured", DefaultValueFactory = _ => 100_000 };
        var command = new Command("auth", "Authentication + RBAC authorization overhead per request") { bindings, requests };
        command.SetAction((parsed, cancellationToken) => RunAsync(parsed.GetValue(bindings), parsed.GetValue(requests), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int bindingCount, int requests, CancellationToken cancellationToken)
    {
        var dir = Path.Combine(Path.GetTempPath(), "flotilla-bench-auth-" + Guid.NewGuid().ToString("N")[..8]);
        var store = SqliteStore.Open(new SqliteStoreOptions { Path = Path.Combine(dir, "state.db") });
        var app = ApiServerHost.Build(new ApiServerOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0) }, store);
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
            var pki = ClusterPki.LoadOrCreate(Path.Combine(dir, "tls"), [], TimeProvider.System);
            var authenticator = new ClientCertificateAuthenticator(pki.Ca, TimeProvider.System);
            var authorizer = app.Services.GetRequiredService<Authorizer>();
            var certificate = pki.IssueClient($"user-{bindingCount - 1}", ["team"], TimeProvider.System);
            Console.WriteLine($"auth: {bindingCount} RoleBindings stored, measuring {requests} requests");

            var samples = new double[requests];
            var allowed = 0;
            for (var i = 0; i < requests; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                var (user, _) = authenticator.Authenticate(certificate);
                if (authorizer.Allows(new Attributes(user!, i % 2 == 0 ? "list" : "delete", true, Resource: "pods", Namespace: "default")))
                {
                    allowed++;
                }

                samples[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
            }

            Array.Sort(samples);
            var report = new Report();
            report.Row($"authn + RBAC per request ({bindingCount} bindings)", $"p50 {samples[requests / 2]:F1} µs, p99 {samples[(int)(requests * 0.99)]:F1} µs");
            report.Row("decisions allowed / denied", $"{allowed} / {requests - allowed}");
            report.Figure("bindings", bindingCount);
            report.Figure("p50_us", samples[requests / 2]);
            report.Figure("p99_us", samples[(int)(requests * 0.99)]);
            report.Print("metric", "result");
            return allowed == (requests + 1) / 2 ? 0 : 1;
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
            await store.DisposeAsync();
            Directory.Delete(dir, recursive: true);
        }
    }
}
