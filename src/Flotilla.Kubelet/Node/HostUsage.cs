using System.Globalization;
using System.Runtime.InteropServices;
using Flotilla.Kubelet.Runtime;

namespace Flotilla.Kubelet.Node;

/// <summary>
/// The machine's readings for a real node (what upstream's kubelet gets from cAdvisor's root container): CPU time
/// from <c>/proc/stat</c>, memory from <c>/proc/meminfo</c> (the working set is what is not available), and a
/// filesystem's size and free space and inodes from statvfs.
/// </summary>
public static partial class HostUsage
{
    /// <summary>USER_HZ: the unit of <c>/proc/stat</c>'s times, 100 on every Linux that matters.</summary>
    private const long TicksPerSecond = 100;

    /// <summary>The node's readings now: CPU and memory of the machine, <paramref name="nodeDir"/>'s filesystem for both filesystems unless the image one is given.</summary>
    public static NodeUsage Read(DateTimeOffset now, string nodeDir, FsUsage? imageFs = null)
    {
        var (workingSet, available) = Memory(File.ReadAllText("/proc/meminfo"));
        var nodeFs = Filesystem(nodeDir);
        return new NodeUsage(now, CpuNanoSeconds(File.ReadAllText("/proc/stat")), workingSet, available, nodeFs, imageFs ?? nodeFs);
    }

    /// <summary>
    /// A real node's <c>status.capacity</c>, from the machine (upstream's cAdvisor machine info): its CPUs, its memory
    /// and the size of <paramref name="nodeDir"/>'s filesystem in Ki, and upstream's 110 pods.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Capacity(string nodeDir)
    {
        var memInfo = File.ReadAllText("/proc/meminfo");
        var total = memInfo.Split('\n').First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return new Dictionary<string, string>
        {
            ["cpu"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
            ["memory"] = total + "Ki",
            ["pods"] = "110",
            ["ephemeral-storage"] = (Filesystem(nodeDir).CapacityBytes / 1024).ToString(CultureInfo.InvariantCulture) + "Ki",
        };
    }

    /// <summary>The busy time of all CPUs (every column of the <c>cpu</c> line but idle and iowait), in nanoseconds.</summary>
    public static ulong CpuNanoSeconds(string procStat)
    {
        ArgumentNullException.ThrowIfNull(procStat);
        var line = procStat.Split('\n').First(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(c => ulong.Parse(c, CultureInfo.InvariantCulture)).ToArray();

        // user nice system idle iowait irq softirq steal (guest and guest_nice are inside user and nice already).
        ulong busy = 0;
        for (var i = 0; i < Math.Min(columns.Length, 8); i++)
        {
            busy += i is 3 or 4 ? 0 : columns[i];
        }

        return busy * (1_000_000_000 / TicksPerSecond);
    }

    /// <summary>MemTotal less MemAvailable is the working set; MemAvailable is what is available.</summary>
    public static (ulong WorkingSet, ulong Available) Memory(string procMeminfo)
    {
        ArgumentNullException.ThrowIfNull(procMeminfo);
        ulong Field(string name)
        {
            var line = procMeminfo.Split('\n').FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal))
                ?? throw new InvalidDataException($"/proc/meminfo has no {name}");
            return ulong.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }

        var total = Field("MemTotal");
        var available = Field("MemAvailable");
        return (total - Math.Min(total, available), available);
    }

    /// <summary>The filesystem holding <paramref name="path"/> (the nearest existing directory).</summary>
    public static FsUsage Filesystem(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var dir = path;
        while (!Directory.Exists(dir) && Path.GetDirectoryName(dir) is { Length: > 0 } parent)
        {
            dir = parent;
        }

        if (StatVfs(dir, out var s) != 0)
        {
            throw new IOException($"statvfs {dir}: errno {Marshal.GetLastPInvokeError()}");
        }

        var capacity = s.Blocks * s.FragmentSize;
        var available = s.BlocksAvailable * s.FragmentSize;
        var used = (s.Blocks - s.BlocksFree) * s.FragmentSize;
        return new FsUsage(capacity, available, used, s.Files, s.FilesFree);
    }

    [LibraryImport("libc", EntryPoint = "statvfs", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int StatVfs(string path, out Vfs buffer);

    /// <summary>glibc's struct statvfs on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Vfs
    {
        public ulong BlockSize;
        public ulong FragmentSize;
        public ulong Blocks;
        public ulong BlocksFree;
        public ulong BlocksAvailable;
        public ulong Files;
        public ulong FilesFree;
        public ulong FilesAvailable;
        public ulong FsId;
        public ulong Flags;
        public ulong NameMax;
        public int Spare0;
        public int Spare1;
        public int Spare2;
        public int Spare3;
        public int Spare4;
        public int Spare5;
    }
}
