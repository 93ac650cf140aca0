using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Flotilla.E2E.Tests;

/// <summary>
/// Bearer tokens with the installed kubectl against ./flotilla up: ServiceAccount tokens from <c>kubectl create
/// token</c>, and bootstrap tokens from <c>flotilla token create</c>. Each token is used through a kubeconfig that
/// holds only the token: kubectl also sends the admin kubeconfig's client certificate, which the server reads first.
/// </summary>
public sealed class TokenTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task CreateToken_KubectlWithTheTokenIsTheServiceAccount_WithWhatRbacGrantsIt()
    {
        // The ServiceAccount controller (not built yet) makes "default"; apply leaves its account as it is.
        await cluster.KubectlOkInputAsync("{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"default\",\"namespace\":\"default\"}}", "apply", "-f", "-");
        var token = await cluster.KubectlOkAsync("create", "token", "default", "-n", "default");
        var asAccount = TokenKubeconfig("sa", token);

        var whoami = await cluster.KubectlOkAsync("--kubeconfig", asAccount, "auth", "whoami");
        Assert.Matches(@"Username\s+system:serviceaccount:default:default", whoami);
        Assert.Matches(@"Groups\s+\[system:serviceaccounts system:serviceaccounts:default system:authenticated\]", whoami);
        var (denied, _, deniedErr) = await cluster.KubectlAsync("--kubeconfig", asAccount, "get", "pods");
        Assert.NotEqual(0, denied);
        Assert.Contains("User \"system:serviceaccount:default:default\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"", deniedErr, StringComparison.Ordinal);

        await cluster.KubectlOkAsync("create", "role", "sa-pod-reader", "-n", "default", "--verb=get,list", "--resource=pods");
        await cluster.KubectlOkAsync("create", "rolebinding", "sa-reads", "-n", "default", "--role=sa-pod-reader", "--serviceaccount=default:default");
        Assert.Equal(0, await EventuallyAsync(() => cluster.KubectlAsync("--kubeconfig", asAccount, "get", "pods"), code => code == 0));
    }

    [Fact]
    public async Task CreateToken_WithAnotherAudience_IsUnauthorized_BoundToAPod_DiesWithThePod()
    {
        await cluster.KubectlOkAsync("create", "namespace", "tokens-e2e");
        await cluster.KubectlOkAsync("create", "serviceaccount", "robot", "-n", "tokens-e2e");

        var foreign = await cluster.KubectlOkAsync("create", "token", "robot", "-n", "tokens-e2e", "--audience", "vault", "--duration", "1h");
        var (refused, _, refusedErr) = await cluster.KubectlAsync("--kubeconfig", TokenKubeconfig("vault", foreign), "auth", "whoami");
        Assert.NotEqual(0, refused);
        Assert.Contains("Unauthorized", refusedErr, StringComparison.Ordinal);

        await cluster.KubectlOkInputAsync("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"holder","namespace":"tokens-e2e"},
             "spec":{"serviceAccountName":"robot","containers":[{"name":"c","image":"busybox:1.35"}]}}
            """, "create", "-f", "-");
        var bound = TokenKubeconfig("bound", await cluster.KubectlOkAsync("create", "token", "robot", "-n", "tokens-e2e", "--bound-object-kind", "Pod", "--bound-object-name", "holder"));
        Assert.Matches(@"Extra: authentication.kubernetes.io/pod-name\s+\[holder\]", await cluster.KubectlOkAsync("--kubeconfig", bound, "auth", "whoami"));

        await cluster.KubectlOkAsync("delete", "pod", "holder", "-n", "tokens-e2e");
        Assert.NotEqual(0, await EventuallyAsync(() => cluster.KubectlAsync("--kubeconfig", bound, "auth", "whoami"), code => code != 0));
    }

    [Fact]
    public async Task FlotillaTokenCreate_PrintsAJoinToken_WhoseBootstrapTokenAuthenticates()
    {
        var (code, stdout, stderr) = await FlotillaProcess.RunAsync("token", "create", "--data-dir", cluster.DataDir, "--ttl", "1h", "--description", "e2e");
        Assert.True(code == 0, stderr);

        var join = Regex.Match(stdout.Trim(), @"\AK10(?<hash>[0-9a-f]{64})::(?<id>[a-z0-9]{6})\.(?<secret>[a-z0-9]{16})\z");
        Assert.True(join.Success, $"not a join token: {stdout}");
        var caHash = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(cluster.DataDir, "tls", "ca.crt"))));
        Assert.Equal(caHash, join.Groups["hash"].Value);
        var id = join.Groups["id"].Value;
        var asBootstrap = TokenKubeconfig("bootstrap", $"{id}.{join.Groups["secret"].Value}");
        Assert.Matches($@"Username\s+system:bootstrap:{id}", await cluster.KubectlOkAsync("--kubeconfig", asBootstrap, "auth", "whoami"));

        var expiration = Encoding.UTF8.GetString(Convert.FromBase64String(
            await cluster.KubectlOkAsync("get", "secret", $"bootstrap-token-{id}", "-n", "kube-system", "-o", "jsonpath={.data.expiration}")));
        var expires = DateTimeOffset.Parse(expiration, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(55), TimeSpan.FromMinutes(61));
    }

    [Fact]
    public async Task FlotillaTokenCreate_WithoutACluster_FailsWithAClearMessage()
    {
        var empty = Path.Combine(cluster.DataDir, "no-cluster-here");

        var (code, _, stderr) = await FlotillaProcess.RunAsync("token", "create", "--data-dir", empty);

        Assert.Equal(1, code);
        Assert.Contains($"flotilla token create: no cluster in {empty}", stderr, StringComparison.Ordinal);
    }

    /// <summary>A kubeconfig for the cluster with <paramref name="token"/> as its only credential.</summary>
    private string TokenKubeconfig(string name, string token)
    {
        var path = Path.Combine(cluster.DataDir, $"kubeconfig-{name}");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: flotilla
              cluster:
                server: {cluster.Server}
                certificate-authority: {Path.Combine(cluster.DataDir, "tls", "ca.crt")}
            users:
            - name: {name}
              user:
                token: {token.Trim()}
            contexts:
            - name: {name}
              context:
                cluster: flotilla
                user: {name}
            current-context: {name}

            """);
        return path;
    }

    // Token checks read the watch cache, which follows a write within moments.
    private static async Task<int> EventuallyAsync(Func<Task<(int Code, string Stdout, string Stderr)>> run, Func<int, bool> done)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var (code, _, _) = await run();
            if (done(code) || started.Elapsed > Deadline)
            {
                return code;
            }

            await Task.Delay(200);
        }
    }
}
