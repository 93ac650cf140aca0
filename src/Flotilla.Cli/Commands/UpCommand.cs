using System.CommandLine;

namespace Flotilla.Cli.Commands;

/// <summary>
/// <c>flotilla up</c>: a whole single-machine cluster in the foreground. Today that is the control plane; the node
/// components join it as they land (kubelet #7, containers #9).
/// </summary>
public static class UpCommand
{
    public static Command Create()
    {
        var options = new ServerOptions();
        var command = new Command("up", "Bring up a single-machine cluster in the foreground (Ctrl+C stops it)");
        options.AddTo(command);
        command.SetAction((parsed, cancellationToken) => ServerRunner.RunAsync(parsed, options, cancellationToken));
        return command;
    }
}
