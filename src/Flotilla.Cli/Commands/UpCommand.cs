using System.CommandLine;

namespace Flotilla.Cli.Commands;

/// <summary>
/// <c>flotilla up</c>: a whole single-machine cluster in the foreground: the control plane and its nodes
/// (<see cref="NodeOptions"/>: one real node by default).
/// </summary>
public static class UpCommand
{
    public static Command Create()
    {
        var options = new ServerOptions();
        var nodes = new NodeOptions();
        var command = new Command("up", "Bring up a single-machine cluster in the foreground (Ctrl+C stops it)");
        options.AddTo(command);
        nodes.AddTo(command);
        command.Validators.Add(r =>
        {
            // Several servers share one store, and only etcd is shared between processes. (Defaults are not applied yet.)
            if ((r.GetResult(nodes.Servers)?.GetValueOrDefault<int>() ?? 1) > 1 && (r.GetResult(options.Store)?.GetValueOrDefault<string>() ?? "sqlite") != "etcd")
            {
                r.AddError("--servers needs --store etcd: the API servers share one etcd cluster");
            }
        });
        command.Validators.Add(r =>
        {
            // Several servers, or nodes in namespaces, are reached at addresses of the node network, which up chooses.
            var namespaces = (r.GetResult(nodes.Nodes)?.GetValueOrDefault<int>() ?? 1) > 1 && (r.GetResult(nodes.Runtime)?.GetValueOrDefault<string>() ?? ContainerdNode.RuntimeName) == ContainerdNode.RuntimeName;
            if (r.GetResult(options.AdvertiseAddress) is not null && ((r.GetResult(nodes.Servers)?.GetValueOrDefault<int>() ?? 1) > 1 || namespaces))
            {
                r.AddError("--advertise-address goes with one server and its nodes on the host: with --servers or real --nodes above 1, up advertises the node network's addresses");
            }
        });
        command.SetAction((parsed, cancellationToken) => ServerRunner.RunAsync(parsed, options, cancellationToken, nodes));
        return command;
    }
}
