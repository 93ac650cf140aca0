using System.CommandLine;
using Flotilla.ApiServer.Endpoints;

namespace Flotilla.Cli.Commands;

/// <summary><c>flotilla version</c>: the build and the Kubernetes API level it serves.</summary>
public static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the version");
        command.SetAction(async (_, _) =>
        {
            var info = VersionEndpoint.Info();
            await Console.Out.WriteLineAsync($"flotilla {info.GitVersion} (Kubernetes API {info.Major}.{info.Minor}, {info.Platform})");
            return 0;
        });
        return command;
    }
}
