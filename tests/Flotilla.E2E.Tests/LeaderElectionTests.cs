using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Flotilla.E2E.Tests;

/// <summary>
/// Two <c>flotilla controller-manager</c> processes against one API server (<c>up --disable-controller-manager</c>):
/// one leads on the <c>kube-system/kube-controller-manager</c> Lease; killed, the other takes over within the lease
/// duration (15 s) and the controllers go on without creating any pod twice. They sign CertificateSigningRequests
/// with the CA given by <c>--cluster-signing-cert-file</c>/<c>--cluster-signing-key-file</c>.
/// </summary>
public sealed class LeaderElectionTests(ITestOutputHelper output) : OwnClusterTest("leader")
{
    [Fact]
    public async Task TheLeadingControllerManagerKilled_TheOtherTakesOverWithinTheLease_AndNoPodIsCreatedTwice()
    {
        await using var up = FlotillaProcess.Start("up", "--data-dir", DataDir, "--listen", "127.0.0.1:0", "--runtime", "hollow", "--nodes", "2", "--disable-controller-manager");
        var kubeconfig = Path.Combine(DataDir, "kubeconfig");
        await up.WaitForKubeconfigServerAsync(kubeconfig);
        string[] signing = ["--cluster-signing-cert-file", Path.Combine(DataDir, "tls", "ca.crt"), "--cluster-signing-key-file", Path.Combine(DataDir, "tls", "ca.key")];
        await using var first = FlotillaProcess.Start(["controller-manager", "--kubeconfig", kubeconfig, .. signing]);
        await using var second = FlotillaProcess.Start(["controller-manager", "--kubeconfig", kubeconfig, .. signing]);

        var holder = await WaitForAsync(() => KubectlOkAsync("get", "lease", "kube-controller-manager", "-n", "kube-system", "-o", "jsonpath={.spec.holderIdentity}", "--ignore-not-found"), v => v.Length > 0);
        await WaitForAsync(() => Task.FromResult(first.Stderr + first.Stdout + second.Stderr + second.Stdout), v => v.Contains($"{holder} is the leader", StringComparison.Ordinal));
        var (leader, follower) = (first.Stderr + first.Stdout).Contains($"{holder} is the leader", StringComparison.Ordinal) ? (first, second) : (second, first);

        await WaitForAsync(() => KubectlOkAsync("get", "serviceaccount", "default", "-o", "name", "--ignore-not-found"), v => v.Length > 0);
        await KubectlOkAsync("create", "deployment", "web", "--image=busybox:1.35", "--replicas=3");
        Assert.Contains("successfully rolled out", await KubectlOkAsync("rollout", "status", "deployment/web", "--timeout=60s"), StringComparison.Ordinal);

        await leader.KillAsync();
        var clock = Stopwatch.StartNew();
        var next = await Eventually.WaitForAsync(() => KubectlOkAsync("get", "lease", "kube-controller-manager", "-n", "kube-system", "-o", "jsonpath={.spec.holderIdentity}"), v => v != holder, seconds: 45);
        var takeover = clock.Elapsed;
        output.WriteLine($"failover: the new leader took the lease {takeover.TotalSeconds:F1} s after the old one was killed");
        // Lease 15 s + retry 2 s after the last renewal; E2E classes share the two cores, so allow for a slow loop.
        Assert.True(takeover < TimeSpan.FromSeconds(30), $"the new leader took {takeover.TotalSeconds:F1} s");
        await WaitForAsync(() => Task.FromResult(follower.Stderr + follower.Stdout), v => v.Contains($"{next} is the leader", StringComparison.Ordinal));

        // The new leader's controllers pick up where the old ones stopped.
        await KubectlOkAsync("scale", "deployment/web", "--replicas=5");
        Assert.Contains("successfully rolled out", await KubectlOkAsync("rollout", "status", "deployment/web", "--timeout=60s"), StringComparison.Ordinal);
        Assert.Equal(5, (await KubectlOkAsync("get", "pods", "-l", "app=web", "--no-headers")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Single((await KubectlOkAsync("get", "replicasets", "-l", "app=web", "--no-headers")).Split('\n', StringSplitOptions.RemoveEmptyEntries));

        // Created once each: no pod made in excess and then deleted (the old leader's events may be lost with it).
        await Task.Delay(TimeSpan.FromSeconds(2));
        var events = await KubectlOkAsync("get", "events", "--field-selector", "involvedObject.kind=ReplicaSet", "-o", "jsonpath={range .items[*]}{.reason}{\"\\n\"}{end}");
        Assert.InRange(Regex.Matches(events, "SuccessfulCreate").Count, 1, 5);
        Assert.DoesNotContain("SuccessfulDelete", events, StringComparison.Ordinal);

        // An approved request is signed by the leader with the CA it was given.
        var (key, pem) = Flotilla.Api.Certificates.CertificateRequests.Create(new System.Security.Cryptography.X509Certificates.X500DistinguishedName("CN=alice"), []);
        using (key)
        {
            var csr = $$$"""{"apiVersion":"certificates.k8s.io/v1","kind":"CertificateSigningRequest","metadata":{"name":"alice"},"spec":{"request":"{{{Convert.ToBase64String(pem)}}}","signerName":"kubernetes.io/kube-apiserver-client","usages":["client auth"]}}""";
            var (created, _, createErrors) = await FlotillaProcess.KubectlAsync(DataDir, csr, "create", "-f", "-");
            Assert.True(created == 0, createErrors);
            await KubectlOkAsync("certificate", "approve", "alice");
            var issued = await WaitForAsync(() => KubectlOkAsync("get", "csr", "alice", "-o", "jsonpath={.status.certificate}"), v => v.Length > 0);
            using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(issued)));
            Assert.Equal("CN=flotilla-ca", certificate.Issuer);
            Assert.Equal("CN=alice", certificate.Subject);
        }

        follower.Terminate();
        Assert.Equal(0, await follower.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        up.Terminate();
        Assert.Equal(0, await up.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }
}
