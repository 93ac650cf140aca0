using System.CommandLine;

namespace Flotilla.Cli.Commands;

/// <summary><c>flotilla agent</c>: the node role. Its options are fixed by DESIGN.md; the kubelet behind it is issue #7.</summary>
public static class AgentCommand
{
    public static Command Create()
    {
        var server = new Option<Uri>("--server") { Description = "URL of the API server to join", Required = true };
        var token = new Option<string>("--token") { Description = "Join token printed by 'flotilla token create'", Required = true };
        var nodeName = new Option<string>("--node-name") { Description = "Name of this node (default: the host name)" };
        var command = new Command("agent", "Run a node (kubelet and proxy) that joins a server — not available yet (#7)")
        {
            ServerOptions.DataDirOption(),
            server,
            token,
            nodeName,
        };
        command.SetAction(async (_, _) =>
        {
            await Console.Error.WriteLineAsync("flotilla agent: the node components (kubelet, proxy) are not built yet; see issue #7");
            return 1;
        });
        return command;
    }
}
