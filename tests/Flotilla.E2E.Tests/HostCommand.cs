using System.Diagnostics;

namespace Flotilla.E2E.Tests;

/// <summary>A command on the machine the tests run on (ip, iptables, ps): its exit code and stdout.</summary>
internal static class HostCommand
{
    public static async Task<(int Code, string Output)> RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await errors;
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
