namespace Flotilla.Kubelet.Node;

/// <summary>
/// The pods' cgroups (cgroupfs driver: <c>/kubepods[/burstable|/besteffort]/pod&lt;uid&gt;</c> in every hierarchy,
/// made by runc as its containers' parents). Upstream's pod container manager removes a pod's once the pod is gone;
/// so does this, in each cgroup v1 hierarchy and the v2 one.
/// </summary>
public static class PodCgroups
{
    private const string Root = "/sys/fs/cgroup";

    /// <summary>Removes the pod's cgroup wherever it is (it must be empty: its sandbox and containers gone).</summary>
    public static void Remove(string podUid)
    {
        if (!Directory.Exists(Root))
        {
            return;
        }

        var hierarchies = Directory.EnumerateDirectories(Root).Prepend(Root);
        foreach (var hierarchy in hierarchies)
        {
            foreach (var parent in new[] { "kubepods", "kubepods/burstable", "kubepods/besteffort" })
            {
                var dir = Path.Combine(hierarchy, parent, "pod" + podUid);
                try
                {
                    if (Directory.Exists(dir))
                    {
                        Directory.Delete(dir, recursive: false);
                    }
                }
                catch (IOException)
                {
                    // Still busy (a process left): the next pass, or reset, tries again.
                }
            }
        }
    }
}
