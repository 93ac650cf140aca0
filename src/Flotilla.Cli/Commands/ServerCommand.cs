using System.CommandLine;

namespace Flotilla.Cli.Commands;

/// <summary><c>flotilla server</c>: the control plane (API server and its store).</summary>
public static class ServerCommand
{
    public static Command Create()
    {
        var options = new ServerOptions();
        var command = new Command("server", "Run the control plane: the API server over its store");
        options.AddTo(command);
        command.SetAction((parsed, cancellationToken) => ServerRunner.RunAsync(parsed, options, cancellationToken));
        return command;
    }
}
