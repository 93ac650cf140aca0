namespace Flotilla.E2E.Tests;

/// <summary>Pod Security admission (issue #4) as the installed kubectl meets it against ./flotilla up.</summary>
public sealed class PodSecurityTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private const string PrivilegedPod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: priv
        spec:
          containers:
          - name: main
            image: busybox:1.35
            command: ["sleep", "3600"]
            securityContext:
              privileged: true
        """;

    private const string RestrictedPod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: compliant
        spec:
          securityContext:
            runAsNonRoot: true
            runAsUser: 1000
            seccompProfile: {type: RuntimeDefault}
          containers:
          - name: main
            image: busybox:1.35
            command: ["sleep", "3600"]
            securityContext:
              allowPrivilegeEscalation: false
              capabilities: {drop: [ALL]}
        """;

    [Fact]
    public async Task RestrictedNamespace_RefusesAPrivilegedPod_AsUpstreamPrintsIt()
    {
        await cluster.KubectlOkAsync("create", "namespace", "psa-restricted");
        Assert.Contains("namespace/psa-restricted labeled", await cluster.KubectlOkAsync("label", "ns", "psa-restricted", "pod-security.kubernetes.io/enforce=restricted"), StringComparison.Ordinal);

        var (code, _, stderr) = await cluster.KubectlInputAsync(PrivilegedPod, "create", "-n", "psa-restricted", "-f", "-");
        Assert.NotEqual(0, code);
        Assert.Equal(
            "Error from server (Forbidden): error when creating \"STDIN\": pods \"priv\" is forbidden: violates PodSecurity \"restricted:latest\": " +
            "privileged (container \"main\" must not set securityContext.privileged=true), " +
            "allowPrivilegeEscalation != false (container \"main\" must set securityContext.allowPrivilegeEscalation=false), " +
            "unrestricted capabilities (container \"main\" must set securityContext.capabilities.drop=[\"ALL\"]), " +
            "runAsNonRoot != true (pod or container \"main\" must set securityContext.runAsNonRoot=true), " +
            "seccompProfile (pod or container \"main\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")\n",
            stderr);

        (code, _, stderr) = await cluster.KubectlAsync("run", "web", "-n", "psa-restricted", "--image=busybox:1.35");
        Assert.NotEqual(0, code);
        Assert.StartsWith(
            "Error from server (Forbidden): pods \"web\" is forbidden: violates PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false (container \"web\" must set securityContext.allowPrivilegeEscalation=false)",
            stderr,
            StringComparison.Ordinal);

        Assert.Contains("pod/compliant created", await cluster.KubectlOkInputAsync(RestrictedPod, "create", "-n", "psa-restricted", "-f", "-"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WarnBaseline_WarnsOnAPrivilegedDeployment_AndTighteningWarnsAboutExistingPods()
    {
        await cluster.KubectlOkAsync("create", "namespace", "psa-warn");
        await cluster.KubectlOkAsync("label", "ns", "psa-warn", "pod-security.kubernetes.io/warn=baseline");
        var (code, stdout, stderr) = await cluster.KubectlAsync("create", "deployment", "web", "-n", "psa-warn", "--image=busybox:1.35", "--dry-run=client", "-o", "yaml");
        Assert.Equal(0, code);
        var privileged = stdout.Replace("        resources: {}", "        resources: {}\n        securityContext:\n          privileged: true", StringComparison.Ordinal);

        (code, stdout, stderr) = await cluster.KubectlInputAsync(privileged, "create", "-n", "psa-warn", "-f", "-");
        Assert.True(code == 0, stderr);
        Assert.Contains("deployment.apps/web created", stdout, StringComparison.Ordinal);
        Assert.Contains("Warning: would violate PodSecurity \"baseline:latest\": privileged (container \"busybox\" must not set securityContext.privileged=true)", stderr, StringComparison.Ordinal);

        await cluster.KubectlOkInputAsync(PrivilegedPod, "create", "-n", "psa-warn", "-f", "-");

        // The Deployment's pod (made by the controller manager) violates the same way: the two share one warning.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await cluster.KubectlOkAsync("get", "pods", "-n", "psa-warn", "-o", "name")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "the Deployment's pod did not appear");
            await Task.Delay(200);
        }

        (code, stdout, stderr) = await cluster.KubectlAsync("label", "ns", "psa-warn", "pod-security.kubernetes.io/enforce=baseline");
        Assert.True(code == 0, stderr);
        Assert.Contains("Warning: existing pods in namespace \"psa-warn\" violate the new PodSecurity enforce level \"baseline:latest\"", stderr, StringComparison.Ordinal);
        Assert.Matches(@"Warning: (priv|web-\S+) \(and 1 other pod\): privileged", stderr);
    }
}
