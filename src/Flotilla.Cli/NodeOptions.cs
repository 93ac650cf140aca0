using System.CommandLine;

namespace Flotilla.Cli;

/// <summary>
/// The nodes <c>flotilla up</c> runs beside the control plane: <c>--runtime hollow --nodes N</c> gives N hollow nodes
/// (simulated containers, #7). The real runtime (containerd, #9) is not built yet, so without <c>--runtime</c> there
/// are no nodes.
/// </summary>
public sealed class NodeOptions
{
    public Option<string?> Runtime { get; } = new("--runtime")
    {
        Description = "Run nodes with this container runtime: hollow (simulated containers, for tests and scale)",
    };

    public Option<int> Nodes { get; } = new("--nodes")
    {
        Description = "How many nodes to run (with --runtime)",
        DefaultValueFactory = _ => 1,
    };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        Runtime.AcceptOnlyFromAmong("hollow");
        command.Options.Add(Runtime);
        command.Options.Add(Nodes);
        Nodes.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 5000)
            {
                r.AddError("--nodes must be between 1 and 5000");
            }
        });
    }
}
