using System.Text;
using System.Text.Json;
using Flotilla.Kubelet.Runtime;
using Flotilla.Kubelet.Runtime.Hollow;
using Flotilla.Kubelet.Stats;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Kubelet.Tests.Stats;

public sealed class ResourceMetricsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 13, 0, 0, TimeSpan.Zero);

    private static readonly FsUsage Disk = new(100UL << 30, 40UL << 30, 60UL << 30, 1000, 400);

    private static UsageSnapshot Snapshot() => new(
        new NodeUsage(T0, 2_500_000_000, 512UL << 20, 1UL << 30, Disk, Disk),
        [new PodUsage("default", "web", "uid-1", T0.AddMinutes(-5), [
            new ContainerUsageOf("app", T0.AddMinutes(-4), new ContainerUsage("c1", T0, 1_250_000_000, 10UL << 20, 4096)),
            new ContainerUsageOf("side", T0.AddMinutes(-4), new ContainerUsage("c2", T0, 250_000_000, 2UL << 20))])]);

    [Fact]
    public void TheResourceMetrics_AreUpstreamsFamilies_StampedInMilliseconds_InNameOrder()
    {
        var text = ResourceMetrics.Format(Snapshot());
        var ms = T0.ToUnixTimeMilliseconds();
        Assert.Contains($"container_cpu_usage_seconds_total{{container=\"app\",namespace=\"default\",pod=\"web\"}} 1.25 {ms}\n", text, StringComparison.Ordinal);
        Assert.Contains($"container_memory_working_set_bytes{{container=\"side\",namespace=\"default\",pod=\"web\"}} 2097152 {ms}\n", text, StringComparison.Ordinal);
        Assert.Contains($"container_start_time_seconds{{container=\"app\",namespace=\"default\",pod=\"web\"}} {T0.AddMinutes(-4).ToUnixTimeSeconds()}\n", text, StringComparison.Ordinal);
        Assert.Contains($"node_cpu_usage_seconds_total 2.5 {ms}\n", text, StringComparison.Ordinal);
        Assert.Contains($"pod_cpu_usage_seconds_total{{namespace=\"default\",pod=\"web\"}} 1.5 {ms}\n", text, StringComparison.Ordinal);
        Assert.Contains("# HELP node_memory_working_set_bytes [STABLE] Current working set of the node in bytes\n# TYPE node_memory_working_set_bytes gauge\n", text, StringComparison.Ordinal);
        Assert.EndsWith("resource_scrape_error 0\n", text, StringComparison.Ordinal);
        var families = text.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToList();
        Assert.Equal(families.Order(StringComparer.Ordinal), families);
        Assert.Equal("# HELP resource_scrape_error [STABLE] 1 if there was an error while getting container metrics, 0 otherwise\n# TYPE resource_scrape_error gauge\nresource_scrape_error 1\n", ResourceMetrics.ScrapeError());
    }

    [Fact]
    public void TheSummary_HasUpstreamsFieldNames()
    {
        using var doc = JsonDocument.Parse(StatsSummary.Format("n1", T0.AddDays(-1), Snapshot(), onlyCpuAndMemory: false));
        var node = doc.RootElement.GetProperty("node");
        Assert.Equal("n1", node.GetProperty("nodeName").GetString());
        Assert.Equal(2_500_000_000UL, node.GetProperty("cpu").GetProperty("usageCoreNanoSeconds").GetUInt64());
        Assert.Equal(1UL << 30, node.GetProperty("memory").GetProperty("availableBytes").GetUInt64());
        Assert.Equal(600UL, node.GetProperty("fs").GetProperty("inodesUsed").GetUInt64());
        Assert.Equal(40UL << 30, node.GetProperty("runtime").GetProperty("imageFs").GetProperty("availableBytes").GetUInt64());
        var pod = Assert.Single(doc.RootElement.GetProperty("pods").EnumerateArray());
        Assert.Equal("uid-1", pod.GetProperty("podRef").GetProperty("uid").GetString());
        Assert.Equal(12UL << 20, pod.GetProperty("memory").GetProperty("workingSetBytes").GetUInt64());
        Assert.Equal(4096UL, pod.GetProperty("containers")[0].GetProperty("rootfs").GetProperty("usedBytes").GetUInt64());

        using var lean = JsonDocument.Parse(StatsSummary.Format("n1", T0, Snapshot(), onlyCpuAndMemory: true));
        Assert.False(lean.RootElement.GetProperty("node").TryGetProperty("fs", out _));
    }

    [Fact]
    public async Task ASnapshot_JoinsTheRuntimesReadings_ToTheirPods()
    {
        var time = new FakeTimeProvider(T0);
        var runtime = new HollowRuntime(time);
        var sandbox = await runtime.RunPodSandboxAsync(new PodSandboxConfig("web", "default", "uid-1", "web", 0), CancellationToken.None);
        var id = await runtime.CreateContainerAsync(sandbox, new ContainerConfig("app", "busybox:1.35", ["sleep", "3600"], [], 0), CancellationToken.None);
        await runtime.StartContainerAsync(id, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(10));

        var snapshot = await UsageSnapshot.CollectAsync(runtime, CancellationToken.None);
        var pod = Assert.Single(snapshot.Pods);
        Assert.Equal(("default", "web", "uid-1"), (pod.Namespace, pod.Name, pod.Uid));
        var container = Assert.Single(pod.Containers);
        Assert.Equal("app", container.Name);

        // A hollow container is simulated at one millicore: ten seconds make ten milliseconds of CPU.
        Assert.Equal(10_000_000UL, container.Usage.CpuCoreNanoSeconds);
        Assert.Equal(10_000_000UL, snapshot.Node.CpuCoreNanoSeconds);
        Assert.Contains("pod=\"web\"", Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(ResourceMetrics.Format(snapshot))), StringComparison.Ordinal);
    }
}
