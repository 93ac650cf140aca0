using System.Diagnostics;

namespace Flotilla.Cli;

/// <summary>This program run again as a child (<c>up</c>'s node agents and extra servers, <c>reset</c> inside a node's namespace), perhaps through a wrapper such as nsenter.</summary>
public static class SelfCommand
{
    /// <summary>
    /// <paramref name="wrapper"/> <paramref name="wrapperArgs"/> then this program with <paramref name="args"/>; output is
    /// inherited, so the child's log lines join the parent's.
    /// </summary>
    public static ProcessStartInfo StartInfo(string wrapper, IEnumerable<string> wrapperArgs, IEnumerable<string> args) =>
        Info([wrapper, .. wrapperArgs, .. Program(), .. args]);

    /// <summary>This program with <paramref name="args"/>, output inherited.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args) => Info([.. Program(), .. args]);

    /// <summary>Run as <c>dotnet flotilla.dll</c> (the launcher) or as an app host.</summary>
    private static string[] Program()
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("the program's path is unknown");
        return Path.GetFileNameWithoutExtension(host) == "dotnet" ? [host, typeof(SelfCommand).Assembly.Location] : [host];
    }

    private static ProcessStartInfo Info(string[] command)
    {
        var info = new ProcessStartInfo(command[0]) { UseShellExecute = false };
        foreach (var arg in command.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }
}
