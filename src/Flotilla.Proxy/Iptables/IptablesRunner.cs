using System.Diagnostics;
using System.Text;

namespace Flotilla.Proxy.Iptables;

/// <summary>
/// iptables (and conntrack) of one network namespace: the host's, or a node's (<c>nsenter --net=</c>, which keeps the host's mount
/// namespace, see notes/netns-nodes.md). Waits for the xtables lock like kube-proxy (<c>-w 5 -W 100000</c>).
/// </summary>
/// <param name="NetworkNamespace">The namespace's file (<c>/run/netns/NAME</c>); null for the host's.</param>
public sealed record IptablesRunner(string? NetworkNamespace = null)
{
    private static readonly string[] Wait = ["-w", "5", "-W", "100000"];

    /// <summary>Feeds <paramref name="input"/> to iptables-restore, leaving chains it does not declare alone.</summary>
    public Task RestoreAsync(string input, CancellationToken cancellationToken) =>
        CheckAsync("iptables-restore", [.. Wait, "--noflush", "--counters"], input, cancellationToken);

    /// <summary>The chains of <paramref name="table"/> (from iptables-save).</summary>
    public async Task<IReadOnlyList<string>> ChainsAsync(string table, CancellationToken cancellationToken)
    {
        var saved = await CheckAsync("iptables-save", ["-t", table], null, cancellationToken);
        return [.. saved.Split('\n').Where(l => l.StartsWith(':')).Select(l => l[1..].Split(' ')[0])];
    }

    /// <summary>Puts <paramref name="rule"/> at the top of <paramref name="builtin"/> unless it is there (kube-proxy's jumps into its chains).</summary>
    public async Task EnsureJumpAsync(string table, string builtin, string rule, CancellationToken cancellationToken)
    {
        var args = Split(rule);
        var (code, _) = await RunAsync("iptables", [.. Wait, "-t", table, "-C", builtin, .. args], null, cancellationToken);
        if (code != 0)
        {
            await CheckAsync("iptables", [.. Wait, "-t", table, "-I", builtin, .. args], null, cancellationToken);
        }
    }

    /// <summary>Removes every copy of <paramref name="rule"/> from <paramref name="builtin"/>.</summary>
    public async Task DeleteJumpAsync(string table, string builtin, string rule, CancellationToken cancellationToken)
    {
        var args = Split(rule);
        while ((await RunAsync("iptables", [.. Wait, "-t", table, "-D", builtin, .. args], null, cancellationToken)).Code == 0)
        {
        }
    }

    /// <summary>A sysctl of the namespace (<c>net.ipv4.conf.all.route_localnet</c>).</summary>
    public Task SysctlAsync(string key, string value, CancellationToken cancellationToken) =>
        CheckAsync("sysctl", ["-qw", $"{key}={value}"], null, cancellationToken);

    /// <summary>Runs a command in the namespace: its exit code and output (stdout, then stderr).</summary>
    public async Task<(int Code, string Output)> RunAsync(string file, IReadOnlyList<string> args, string? input, CancellationToken cancellationToken)
    {
        var start = NetworkNamespace is null
            ? new ProcessStartInfo(file, args)
            : new ProcessStartInfo("nsenter", [$"--net={NetworkNamespace}", file, .. args]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = input is not null;
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new IptablesException($"{file} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new IptablesException($"{file} did not start: {e.Message}", e);
        }

        using var _ = process;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken);
            process.StandardInput.Close();
        }

        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output + await errors);
    }

    private async Task<string> CheckAsync(string file, IReadOnlyList<string> args, string? input, CancellationToken cancellationToken)
    {
        var (code, output) = await RunAsync(file, args, input, cancellationToken);
        return code == 0 ? output : throw new IptablesException($"{file} {string.Join(' ', args)} failed ({code}): {output.Trim()}");
    }

    /// <summary>A rule as iptables' arguments: words, with <c>"..."</c> kept as one.</summary>
    internal static List<string> Split(string rule)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var quoted = false;
        foreach (var c in rule)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ' ' && !quoted)
            {
                if (word.Length > 0)
                {
                    words.Add(word.ToString());
                    word.Clear();
                }
            }
            else
            {
                word.Append(c);
            }
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
