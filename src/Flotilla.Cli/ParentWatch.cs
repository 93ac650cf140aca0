using System.Diagnostics;
using System.Globalization;

namespace Flotilla.Cli;

/// <summary>
/// A child of <c>up</c> (a node agent, an extra API server) stops when <c>up</c> is gone without stopping it (killed,
/// crashed): it is re-parented, sees another parent, and sends itself SIGTERM, so it stops as if <c>up</c> had asked
/// (its pods live on in their shims) and leaves nothing running that holds a lock <c>reset</c> needs.
/// </summary>
public static class ParentWatch
{
    private const string Variable = "FLOTILLA_PARENT_PID";
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    /// <summary>Marks <paramref name="info"/>'s process as this one's child, to stop when this process is gone.</summary>
    public static void Mark(ProcessStartInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        info.Environment[Variable] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Watches the parent when this process was started marked; nothing otherwise.</summary>
    public static void Start()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable(Variable), NumberStyles.None, CultureInfo.InvariantCulture, out var parent))
        {
            return;
        }

        // Not passed on: containerd and the shims this process starts are not watched.
        Environment.SetEnvironmentVariable(Variable, null);
        new Thread(() =>
        {
            while (GetParentPid() == parent)
            {
                Thread.Sleep(Period);
            }

            Console.Error.WriteLine($"flotilla: the parent process {parent} is gone; stopping");
            Kubelet.Node.HostCommand.Run("kill", "-TERM", Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        })
        { IsBackground = true, Name = "parent watch" }.Start();
    }

    /// <summary>The fourth field of <c>/proc/self/stat</c>, after the command's name in parentheses.</summary>
    private static int GetParentPid()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
    }
}
