using System.Diagnostics;

namespace Flotilla.Proxy.Tests.Integration;

/// <summary>
/// A network namespace standing in for a node, made by the test and removed after it: loopback up, with pod addresses
/// on it where busybox httpd answers with the pod's name (this kernel has no dummy interfaces). Its iptables are its own, so tests run
/// beside each other and beside a real node.
/// </summary>
public sealed class NodeNamespace : IAsyncDisposable
{
    private readonly List<Process> _servers = [];
    private readonly string _web = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "flotilla-proxy-" + Guid.NewGuid().ToString("N")[..8]);

    private NodeNamespace(string name) => Name = name;

    /// <summary>The node's own address.</summary>
    public const string NodeIp = "10.0.0.1";

    public string Name { get; }

    /// <summary>The namespace's file, for <c>nsenter --net=</c>.</summary>
    public string Path => "/run/netns/" + Name;

    public static NodeNamespace Create()
    {
        if (Environment.UserName != "root" || !File.Exists("/usr/sbin/iptables-restore"))
        {
            throw new InvalidOperationException("these tests need root and iptables (scripts/setup.sh installs it)");
        }

        var node = new NodeNamespace("flpx" + Guid.NewGuid().ToString("N")[..8]);
        Ok("ip", "netns", "add", node.Name);
        try
        {
            Ok("ip", "-n", node.Name, "link", "set", "lo", "up");

            // A node has an address and a default route: without a route a ClusterIP is unreachable before the rules
            // could rewrite it; without an address its traffic would come from 127.0.0.1.
            Ok("ip", "-n", node.Name, "addr", "add", NodeIp + "/32", "dev", "lo");
            Ok("ip", "-n", node.Name, "route", "add", "default", "dev", "lo", "src", NodeIp);
            return node;
        }
        catch
        {
            Ok("ip", "netns", "delete", node.Name);
            throw;
        }
    }

    /// <summary>A "pod": <paramref name="ip"/> on the dummy interface, serving <c>/</c> = <paramref name="name"/> on <paramref name="port"/>.</summary>
    public void Serve(string ip, int port, string name)
    {
        Ok("ip", "-n", Name, "addr", "add", ip + "/32", "dev", "lo");
        var dir = System.IO.Path.Combine(_web, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(System.IO.Path.Combine(dir, "index.html"), name + "\n");
        _servers.Add(Process.Start(new ProcessStartInfo("ip", ["netns", "exec", Name, "busybox", "httpd", "-f", "-p", $"{ip}:{port}", "-h", dir]))!);
    }

    /// <summary>GET from inside the namespace: what came back, or null when refused or timed out.</summary>
    public async Task<string?> GetAsync(string url)
    {
        var (code, output) = await RunAsync("ip", "netns", "exec", Name, "timeout", "5", "busybox", "wget", "-qO-", url);
        return code == 0 ? output.Trim() : null;
    }

    /// <summary>The namespace's rules as iptables-save prints them.</summary>
    public async Task<string> RulesAsync() => (await RunAsync("ip", "netns", "exec", Name, "iptables-save")).Output;

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            server.Kill();
            await server.WaitForExitAsync();
            server.Dispose();
        }

        await RunAsync("ip", "netns", "delete", Name);
        if (Directory.Exists(_web))
        {
            Directory.Delete(_web, recursive: true);
        }
    }

    public static async Task<(int Code, string Output)> RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }

    private static void Ok(string file, params string[] args)
    {
        var (code, output) = RunAsync(file, args).GetAwaiter().GetResult();
        if (code != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)}: {output}");
        }
    }
}
