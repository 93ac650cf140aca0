using System.Diagnostics;
using System.Globalization;
using Flotilla.Kubelet.Network;
using Flotilla.Kubelet.Node;
using Flotilla.Kubelet.Runtime;

namespace Flotilla.Kubelet.Tests.Cri;

/// <summary>
/// The pod network's address translation on a real node: a pod reaching outside the cluster network leaves with the
/// node's address (the "outside" is a network namespace this test makes, joined to the host by a veth), while a pod
/// reaching another pod keeps its own.
/// </summary>
public sealed class CriNetworkTests(ContainerdNode node) : IClassFixture<ContainerdNode>
{
    /// <summary>A CGI that answers with the address the request came from, as busybox httpd saw it.</summary>
    private const string WhoAmI = "#!/bin/sh\necho Content-Type: text/plain\necho\necho $REMOTE_ADDR\n";

    private readonly CancellationToken _ct = CancellationToken.None;

    [Fact]
    public async Task APodReachingOutside_IsMasqueradedAsTheNode_APodReachingAPod_IsNot()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var (ns, hostSide, nsSide) = ("flmq" + id, "flmq" + id + "h", "flmq" + id + "n");
        var subnet = Random.Shared.Next(1, 255);
        var (hostIp, outsideIp) = ($"10.250.{subnet}.1", $"10.250.{subnet}.2");
        var web = Path.Combine(Path.GetTempPath(), "flotilla-outside-" + id);
        Directory.CreateDirectory(Path.Combine(web, "cgi-bin"));
        await File.WriteAllTextAsync(Path.Combine(web, "cgi-bin", "ip"), WhoAmI);
        File.SetUnixFileMode(Path.Combine(web, "cgi-bin", "ip"), (UnixFileMode)0b111_101_101);
        Process? outside = null;
        try
        {
            Ok("ip", "netns", "add", ns);
            Ok("ip", "link", "add", hostSide, "type", "veth", "peer", "name", nsSide, "netns", ns);
            Ok("ip", "addr", "add", hostIp + "/30", "dev", hostSide);
            Ok("ip", "link", "set", hostSide, "up");
            Ok("ip", "netns", "exec", ns, "ip", "addr", "add", outsideIp + "/30", "dev", nsSide);
            Ok("ip", "netns", "exec", ns, "ip", "link", "set", nsSide, "up");
            outside = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", ns, "busybox", "httpd", "-f", "-p", "8080", "-h", web]))!;

            var server = await RunPodAsync("server", $"mkdir -p /w/cgi-bin && printf '{WhoAmI.Replace("\n", "\\n", StringComparison.Ordinal)}' > /w/cgi-bin/ip && chmod +x /w/cgi-bin/ip && exec httpd -f -p 8080 -h /w");
            var client = await RunPodAsync("client", "exec sleep 3600");

            Assert.Equal(hostIp, await FetchAsync(client.Container, $"http://{outsideIp}:8080/cgi-bin/ip"));
            Assert.Equal(client.Ip, await FetchAsync(client.Container, $"http://{server.Ip}:8080/cgi-bin/ip"));

            var rules = HostCommand.Run("iptables", "-w", "-t", "nat", "-S").Output;
            Assert.Contains($"-A POSTROUTING -m comment --comment \"flotilla: pods leaving the cluster network\" -j FLOTILLA-MASQ-{node.Bridge}", rules, StringComparison.Ordinal);
            Assert.Contains($"-A FLOTILLA-MASQ-{node.Bridge} -s {node.PodCidr} -d {node.ClusterCidr} ", rules, StringComparison.Ordinal);

            // Written again (the agent restarts): still one jump, one set of rules.
            new PodMasquerade(node.Bridge, node.PodCidr, node.ClusterCidr).Apply();
            rules = HostCommand.Run("iptables", "-w", "-t", "nat", "-S").Output;
            Assert.Single(rules.Split('\n'), l => l.StartsWith("-A POSTROUTING", StringComparison.Ordinal) && l.EndsWith("-j FLOTILLA-MASQ-" + node.Bridge, StringComparison.Ordinal));
            Assert.Equal(2, rules.Split('\n').Count(l => l.StartsWith($"-A FLOTILLA-MASQ-{node.Bridge} ", StringComparison.Ordinal)));
        }
        finally
        {
            outside?.Kill();
            HostCommand.Run("ip", "link", "delete", hostSide);
            HostCommand.Run("ip", "netns", "delete", ns);
            Directory.Delete(web, recursive: true);
        }
    }

    private async Task<(string Container, string Ip)> RunPodAsync(string name, string script)
    {
        var sandbox = await node.Runtime.RunPodSandboxAsync(new PodSandboxConfig(name, "default", Guid.NewGuid().ToString(), name, 0), _ct);
        var ip = (await node.Runtime.ListPodSandboxesAsync(_ct)).Single(s => s.Id == sandbox).Ip!;
        var container = await node.Runtime.CreateContainerAsync(sandbox, new ContainerConfig(name, "busybox:1.35", ["sh", "-c", script], [], 0), _ct);
        await node.Runtime.StartContainerAsync(container, _ct);
        return (container, ip);
    }

    /// <summary>busybox httpd listens on IPv6 too, so it sees IPv4 clients as <c>[::ffff:a.b.c.d]</c>.</summary>
    private static string Unmapped(string address) =>
        address.StartsWith("[::ffff:", StringComparison.Ordinal) && address.EndsWith(']') ? address[8..^1] : address;

    /// <summary>wget from inside the pod (busybox's static wget crashes on <c>-T</c>), again for a while as a server may still be starting.</summary>
    private async Task<string> FetchAsync(string container, string url)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var result = await node.Runtime.ExecSyncAsync(container, ["wget", "-qO-", url], TimeSpan.FromSeconds(5), _ct);
            if (result.ExitCode == 0 || DateTime.UtcNow > deadline)
            {
                Assert.True(result.ExitCode == 0, string.Create(CultureInfo.InvariantCulture, $"wget {url}: {result.ExitCode} {result.Stdout}{result.Stderr}"));
                return Unmapped(result.Stdout.Trim());
            }

            await Task.Delay(200);
        }
    }

    private static void Ok(string file, params string[] args)
    {
        var (code, output) = HostCommand.Run(file, args);
        Assert.True(code == 0, $"{file} {string.Join(' ', args)}: {output}");
    }
}
