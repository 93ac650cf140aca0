using System.Diagnostics;

namespace Flotilla.Kubelet.Node;

/// <summary>A short command on the node (mount, umount, ip, stat, pkill, iptables): its exit code and what it printed.</summary>
public static class HostCommand
{
    public static (int Code, string Output) Run(string file, params string[] args) => Pipe(null, file, args);

    /// <summary>Runs <paramref name="file"/> with <paramref name="input"/> on its stdin (iptables-restore).</summary>
    public static (int Code, string Output) Pipe(string? input, string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null })
            ?? throw new InvalidOperationException($"{file} did not start");
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }

        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + errors.GetAwaiter().GetResult());
    }
}
