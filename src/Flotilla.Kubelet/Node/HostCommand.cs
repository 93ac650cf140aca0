using System.Diagnostics;

namespace Flotilla.Kubelet.Node;

/// <summary>A short command on the node (mount, umount, ip, stat, pkill): its exit code and what it printed.</summary>
public static class HostCommand
{
    public static (int Code, string Output) Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"{file} did not start");
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + errors.GetAwaiter().GetResult());
    }
}
