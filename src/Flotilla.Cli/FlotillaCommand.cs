using System.CommandLine;
using Flotilla.Cli.Commands;

namespace Flotilla.Cli;

/// <summary>The multicall entry point: one binary, a sub-command per role (k3s-style).</summary>
public static class FlotillaCommand
{
    /// <summary>Exit code for a command line that cannot be parsed or has a bad value, as most Unix tools use.</summary>
    public const int UsageError = 2;

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Flotilla: a Kubernetes-compatible orchestrator in one binary")
        {
            UpCommand.Create(),
            ServerCommand.Create(),
            SchedulerCommand.Create(),
            ControllerManagerCommand.Create(),
            AgentCommand.Create(),
            ResetCommand.Create(),
            ImagesCommand.Create(),
            TokenCommand.Create(),
            EtcdCommand.Create(),
            VersionCommand.Create(),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync($"flotilla: {error.Message}");
            }

            await Console.Error.WriteLineAsync("Run 'flotilla --help' for usage.");
            return UsageError;
        }

        ParentWatch.Start();

        // SIGTERM/SIGINT cancel the command's token; the components then stop in order (Leases given up, events
        // flushed, the store closed) and the runtime exits. System.CommandLine ends the process with 143 when that
        // takes longer than its timeout, 2 s by default: too short on a loaded machine. 30 s is a pod's grace period.
        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });
    }
}
