using System.Diagnostics;

namespace Flotilla.Cli;

/// <summary>This program run again as a child (<c>up</c>'s node agents, <c>reset</c> inside a node's namespace), through a wrapper such as nsenter.</summary>
public static class SelfCommand
{
    /// <summary>
    /// <paramref name="wrapper"/> <paramref name="wrapperArgs"/> then this program with <paramref name="args"/>; output is
    /// inherited, so the child's log lines join the parent's.
    /// </summary>
    public static ProcessStartInfo StartInfo(string wrapper, IEnumerable<string> wrapperArgs, IEnumerable<string> args)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("the program's path is unknown");
        var self = typeof(SelfCommand).Assembly.Location;

        // Run as `dotnet flotilla.dll` (the launcher) or as an app host.
        string[] program = Path.GetFileNameWithoutExtension(host) == "dotnet" ? [host, self] : [host];
        var info = new ProcessStartInfo(wrapper) { UseShellExecute = false };
        foreach (var arg in wrapperArgs.Concat(program).Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }
}
