using System.CommandLine;

namespace Flotilla.Cli;

/// <summary>
/// The nodes <c>flotilla up</c> runs beside the control plane: <c>--runtime hollow --nodes N</c> gives N hollow nodes
/// (simulated containers, #7); <c>--runtime containerd</c> one real node (#9, in progress). Without <c>--runtime</c>
/// there are no nodes.
/// </summary>
public sealed class NodeOptions
{
    public Option<string?> Runtime { get; } = new("--runtime")
    {
        Description = "Run nodes with this container runtime: containerd (one real node: containerd + runc), hollow (simulated containers, for tests and scale)",
    };

    public Option<int> Nodes { get; } = new("--nodes")
    {
        Description = "How many nodes to run (with --runtime)",
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
            if (r.GetValue(Runtime) == ContainerdNode.RuntimeName && r.GetValue(Nodes) > 1)
            {
                r.AddError("--runtime containerd runs one node (several real nodes on one machine come with network namespaces, #11)");
            }
        });
        Nodes.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 5000)
            {
                r.AddError("--nodes must be between 1 and 5000");
            }
        });
    }
}
