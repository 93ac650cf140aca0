namespace Flotilla.Kubelet.Node;

/// <summary>What the machine says about itself, read once: the kernel release and the OS's pretty name.</summary>
internal static class HostFacts
{
    public static string KernelVersion { get; } = Read("/proc/sys/kernel/osrelease")?.Trim() ?? "unknown";

    public static string OsImage { get; } =
        Read("/etc/os-release")?.Split('\n').Select(l => l.Split('=', 2)).FirstOrDefault(p => p.Length == 2 && p[0] == "PRETTY_NAME")?[1].Trim('"') ?? "Linux";

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
