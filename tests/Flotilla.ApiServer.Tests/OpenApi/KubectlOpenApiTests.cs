using System.Diagnostics;
using Flotilla.ApiServer.Tests.Integration;

namespace Flotilla.ApiServer.Tests.OpenApi;

/// <summary>The real kubectl against a test server: explain reads the v3 documents; create sees fieldValidation and leaves validation to the server.</summary>
public sealed class KubectlOpenApiTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("flotilla-kubectl-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Explain_PodContainers_PrintsUpstreamDescriptions()
    {
        var (code, stdout, stderr) = await KubectlAsync("explain", "pods.spec.containers");

        Assert.True(code == 0, stderr);
        Assert.Contains("FIELD: containers <[]Container>", stdout, StringComparison.Ordinal);
        Assert.Contains("List of containers belonging to the pod.", stdout, StringComparison.Ordinal);
        Assert.Contains("image\t<string>", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_DeploymentStrategy_FollowsReferencesAcrossGroups()
    {
        var (code, stdout, stderr) = await KubectlAsync("explain", "deployments.spec.template.spec.securityContext.runAsUser");

        Assert.True(code == 0, stderr);
        Assert.Contains("GROUP:      apps", stdout, StringComparison.Ordinal);
        Assert.Contains("FIELD: runAsUser <integer>", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateDryRun_UnknownField_RejectedByTheServerUnderStrictValidation()
    {
        var manifest = Path.Combine(_dir, "pod.yaml");
        await File.WriteAllTextAsync(manifest, """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
            spec:
              containers:
              - name: web
                image: nginx
                bogus: 1
            """);

        var (code, _, stderr) = await KubectlAsync("create", "-f", manifest, "--dry-run=server", "-v=6");

        Assert.NotEqual(0, code);
        Assert.Contains("fieldValidation=Strict", stderr, StringComparison.Ordinal);
        Assert.Contains("strict decoding error: unknown field \"spec.containers[0].bogus\"", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("openapi/v2", stderr, StringComparison.Ordinal);

        await File.WriteAllTextAsync(manifest, (await File.ReadAllTextAsync(manifest)).Replace("\n    bogus: 1", string.Empty, StringComparison.Ordinal));
        var (validCode, stdout, validErr) = await KubectlAsync("create", "-f", manifest, "--dry-run=server");
        Assert.True(validCode == 0, validErr);
        Assert.Contains("pod/web created (server dry run)", stdout, StringComparison.Ordinal);
    }

    private async Task<(int Code, string Stdout, string Stderr)> KubectlAsync(params string[] args)
    {
        var kubeconfig = Path.Combine(_dir, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: test
              cluster:
                server: {{server.Http.BaseAddress!.ToString().TrimEnd('/')}}
            contexts:
            - name: test
              context:
                cluster: test
                user: test
            current-context: test
            users:
            - name: test
              user: {}
            """);
        var info = new ProcessStartInfo("kubectl", ["--kubeconfig", kubeconfig, "--cache-dir", Path.Combine(_dir, "cache"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }
}
