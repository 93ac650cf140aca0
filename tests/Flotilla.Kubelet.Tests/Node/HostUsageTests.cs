using Flotilla.Kubelet.Node;
using Flotilla.Kubelet.Runtime;

namespace Flotilla.Kubelet.Tests.Node;

public sealed class HostUsageTests
{
    [Fact]
    public void CpuTime_IsEveryBusyColumn_InNanoseconds()
    {
        // user nice system idle iowait irq softirq steal guest guest_nice
        const string stat = "cpu  100 20 30 5000 70 1 2 3 40 0\ncpu0 50 10 15 2500 35 1 1 1 20 0\nintr 123\n";
        Assert.Equal((100UL + 20 + 30 + 1 + 2 + 3) * 10_000_000, HostUsage.CpuNanoSeconds(stat));
    }

    [Fact]
    public void TheWorkingSet_IsWhatIsNotAvailable()
    {
        const string meminfo = "MemTotal:       16000000 kB\nMemFree:         1000000 kB\nMemAvailable:    6000000 kB\nBuffers:  1 kB\n";
        Assert.Equal((10_000_000UL * 1024, 6_000_000UL * 1024), HostUsage.Memory(meminfo));
        Assert.Throws<InvalidDataException>(() => HostUsage.Memory("MemTotal: 1 kB\n"));
    }

    [Fact]
    public void AFilesystem_IsReadWhereThePathWouldBe()
    {
        var fs = HostUsage.Filesystem(Path.Combine(Path.GetTempPath(), "not", "made", "yet"));
        Assert.True(fs.CapacityBytes > 0 && fs.AvailableBytes <= fs.CapacityBytes && fs.UsedBytes <= fs.CapacityBytes, fs.ToString());
        Assert.True(fs.Inodes > 0 && fs.InodesFree <= fs.Inodes, fs.ToString());

        var capacity = HostUsage.Capacity(Path.GetTempPath());
        Assert.Equal(Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture), capacity["cpu"]);
        Assert.Matches(@"^\d+Ki$", capacity["memory"]);
        Assert.Equal($"{fs.CapacityBytes / 1024}Ki", capacity["ephemeral-storage"]);
    }
}

public sealed class NodePressureTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 13, 0, 0, TimeSpan.Zero);

    private static NodeUsage Usage(ulong memoryAvailable, ulong nodeFsAvailable, ulong imageFsAvailable, ulong inodesFree = 500) =>
        new(T0, 0, 0, memoryAvailable, new FsUsage(1000, nodeFsAvailable, 1000 - nodeFsAvailable, 1000, inodesFree), new FsUsage(1000, imageFsAvailable, 1000 - imageFsAvailable));

    [Theory]
    [InlineData(200UL << 20, 500UL, 500UL, 500UL, false, false)]
    [InlineData(99UL << 20, 500UL, 500UL, 500UL, true, false)]
    [InlineData(200UL << 20, 99UL, 500UL, 500UL, false, true)]
    [InlineData(200UL << 20, 100UL, 149UL, 500UL, false, true)]
    [InlineData(200UL << 20, 100UL, 150UL, 49UL, false, true)]
    [InlineData(200UL << 20, 100UL, 150UL, 50UL, false, false)]
    public void UpstreamsHardThresholds_MakePressure(ulong memory, ulong nodeFs, ulong imageFs, ulong inodes, bool memoryPressure, bool diskPressure)
    {
        var pressure = new NodePressure();
        pressure.Observe(Usage(memory, nodeFs, imageFs, inodes), T0);
        Assert.Equal((memoryPressure, diskPressure), (pressure.Memory, pressure.Disk));
    }

    [Fact]
    public void APressure_StaysForTheTransitionPeriod_AfterTheLastTimeItWasMet()
    {
        var pressure = new NodePressure();
        pressure.Observe(Usage(1, 500, 500), T0);
        pressure.Observe(Usage(1UL << 30, 500, 500), T0.AddMinutes(4));
        Assert.True(pressure.Memory);
        pressure.Observe(Usage(1UL << 30, 500, 500), T0.AddMinutes(5));
        Assert.False(pressure.Memory);
    }
}
