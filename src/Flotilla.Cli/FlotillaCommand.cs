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
            TokenCommand.Create(),
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

        return await parsed.InvokeAsync();
    }
}
