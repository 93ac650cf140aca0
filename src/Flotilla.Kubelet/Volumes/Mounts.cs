namespace Flotilla.Kubelet.Volumes;

/// <summary>The node's mount table as the kubelet needs it: what is mounted at or below a dir (<c>/proc/self/mountinfo</c>).</summary>
public static class Mounts
{
    /// <summary>The mount points at or below <paramref name="dir"/>, deepest first (the order to unmount them in).</summary>
    public static List<string> Under(string dir)
    {
        var full = Path.GetFullPath(dir).TrimEnd('/');
        return [.. File.ReadLines("/proc/self/mountinfo")
            .Select(l => l.Split(' ')[4].Replace("\\040", " ", StringComparison.Ordinal))
            .Where(m => m == full || m.StartsWith(full + "/", StringComparison.Ordinal))
            .OrderByDescending(m => m.Length)];
    }
}
