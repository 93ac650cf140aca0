using System.CommandLine;

namespace Flotilla.Cli;

/// <summary>
/// The nodes <c>flotilla up</c> runs beside the control plane: by default one real node (containerd + runc, #9) on
/// the host; <c>--nodes N</c> (N &gt; 1) N real nodes, each in its own network namespace (<see cref="NodeNetwork"/>);
/// <c>--runtime hollow --nodes N</c> gives N hollow nodes (simulated containers, #7); <c>--nodes 0</c> none (the
/// control plane alone, as k3s' <c>--disable-agent</c>); <c>--servers N</c> N API servers over one etcd (an HA control plane).
/// </summary>
public sealed class NodeOptions
{
    public Option<string> Runtime { get; } = new("--runtime")
    {
        Description = "Run nodes with this container runtime: containerd (one real node: containerd + runc), hollow (simulated containers, for tests and scale)",
        DefaultValueFactory = _ => ContainerdNode.RuntimeName,
    };

    public Option<int> Nodes { get; } = new("--nodes")
    {
        Description = "How many nodes to run (0: the control plane alone)",
        DefaultValueFactory = _ => 1,
    };

    public Option<string> FlannelBackend { get; } = ContainerdNode.FlannelBackendOption();

    public Option<int> Servers { get; } = new("--servers")
    {
        Description = $"How many API servers to run (2-{NodeNetwork.MaxServers}: an HA control plane over --store etcd; each server runs a scheduler and a controller manager, leader-elected)",
        DefaultValueFactory = _ => 1,
    };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        Runtime.AcceptOnlyFromAmong("hollow", ContainerdNode.RuntimeName);
        command.Options.Add(Runtime);
        command.Options.Add(Nodes);
        command.Validators.Add(r =>
        {
            // The command's result holds only the options given: their defaults are not applied yet.
            var runtime = r.GetResult(Runtime)?.GetValueOrDefault<string>() ?? ContainerdNode.RuntimeName;
            if (runtime == ContainerdNode.RuntimeName && (r.GetResult(Nodes)?.GetValueOrDefault<int>() ?? 1) > NodeNetwork.MaxNodes)
            {
                r.AddError($"--runtime containerd runs at most {NodeNetwork.MaxNodes} nodes on one machine");
            }
        });
        command.Options.Add(Servers);
        command.Options.Add(FlannelBackend);
        Servers.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > NodeNetwork.MaxServers)
            {
                r.AddError($"--servers must be between 1 and {NodeNetwork.MaxServers}");
            }
        });
        Nodes.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > 5000)
            {
                r.AddError("--nodes must be between 0 and 5000");
            }
        });
    }
}
