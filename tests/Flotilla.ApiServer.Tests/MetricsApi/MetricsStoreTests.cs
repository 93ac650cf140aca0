using Flotilla.ApiServer.MetricsApi;

namespace Flotilla.ApiServer.Tests.MetricsApi;

public sealed class MetricsStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 13, 0, 0, TimeSpan.Zero);
    private static readonly (string, string, string) App = ("default", "web", "app");

    private static ResourceMetricsParser.Result Scrape(DateTimeOffset at, ulong nodeCpu, ulong appCpu, DateTimeOffset? started = null, ulong appMemory = 10 << 20) =>
        new(new MetricsPoint(at, nodeCpu, 512 << 20), new Dictionary<(string, string, string), MetricsPoint> { [App] = new MetricsPoint(at, appCpu, appMemory, started ?? T0.AddHours(-1)) });

    [Fact]
    public void TwoReadings_GiveTheRateBetweenThem_AndTheLastMemory()
    {
        var store = new MetricsStore(TimeSpan.FromSeconds(15));
        store.Store("n1", Scrape(T0, 1_000_000_000, 100_000_000));
        Assert.Null(store.Node("n1"));
        Assert.Null(store.Pod("default", "web"));

        store.Store("n1", Scrape(T0.AddSeconds(15), 4_000_000_000, 115_000_000));
        Assert.Equal(new MetricsUsage(T0.AddSeconds(15), TimeSpan.FromSeconds(15), 200_000_000, 512 << 20), store.Node("n1"));
        var (container, usage) = Assert.Single(store.Pod("default", "web")!);
        Assert.Equal(("app", 1_000_000UL, 10UL << 20), (container, usage.CpuNanoCores, usage.MemoryBytes));
        Assert.Equal([("default", "web")], store.Pods());
    }

    [Fact]
    public void ARestartedContainer_WaitsForItsNextReading_AndAGoneNodeIsForgotten()
    {
        var store = new MetricsStore(TimeSpan.FromSeconds(15));
        store.Store("n1", Scrape(T0, 1, 100_000_000));
        store.Store("n1", Scrape(T0.AddSeconds(15), 2, 5_000_000, started: T0.AddSeconds(10)));
        Assert.Null(store.Pod("default", "web"));
        store.Store("n1", Scrape(T0.AddSeconds(30), 3, 20_000_000, started: T0.AddSeconds(10)));
        Assert.Equal(1_000_000UL, Assert.Single(store.Pod("default", "web")!).Usage.CpuNanoCores);

        store.Retain(new HashSet<string>());
        Assert.Null(store.Node("n1"));
        Assert.Empty(store.Pods());
    }

    [Fact]
    public void AYoungContainer_CountsFromItsStart_AndOneWithoutMemoryIsLeftOut()
    {
        var store = new MetricsStore(TimeSpan.FromSeconds(15));
        store.Store("n1", Scrape(T0, 1, 12_000_000, started: T0.AddSeconds(-12)));
        Assert.Equal(1_000_000UL, Assert.Single(store.Pod("default", "web")!).Usage.CpuNanoCores);

        store.Store("n2", new ResourceMetricsParser.Result(null, new Dictionary<(string, string, string), MetricsPoint> { [("default", "idle", "app")] = new MetricsPoint(T0, 5, 0) }));
        Assert.DoesNotContain(("default", "idle"), store.Pods());
    }

    [Theory]
    [InlineData(0UL, "0")]
    [InlineData(250_000_000UL, "250m")]
    [InlineData(2_000_000_000UL, "2")]
    [InlineData(1_234_000UL, "1234u")]
    [InlineData(1_234_567UL, "1234567n")]
    public void Cpu_IsACanonicalQuantity(ulong nanoCores, string quantity) => Assert.Equal(quantity, MetricsUsage.Cpu(nanoCores));

    [Theory]
    [InlineData(104_857_600UL, "100Mi")]
    [InlineData(4_096_000UL, "4000Ki")]
    [InlineData(12_345_678UL, "12345678")]
    [InlineData(0UL, "0")]
    public void Memory_IsACanonicalBinaryQuantity(ulong bytes, string quantity) => Assert.Equal(quantity, MetricsUsage.Memory(bytes));

    [Fact]
    public void AKubeletsResourceMetrics_AreRead()
    {
        const string text = """
            # HELP container_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the container in core-seconds
            # TYPE container_cpu_usage_seconds_total counter
            container_cpu_usage_seconds_total{container="app",namespace="default",pod="web"} 1.5 1796216603857
            container_memory_working_set_bytes{container="app",namespace="default",pod="web"} 1114112 1796216603857
            container_start_time_seconds{container="app",namespace="default",pod="web"} 1.79621659948e+09
            node_cpu_usage_seconds_total 2974.17 1796216603872
            node_memory_working_set_bytes 531415040 1796216603872
            pod_cpu_usage_seconds_total{namespace="default",pod="web"} 1.5 1796216603857
            resource_scrape_error 0
            """;
        var parsed = ResourceMetricsParser.Parse(text, T0);
        Assert.Equal(new MetricsPoint(DateTimeOffset.FromUnixTimeMilliseconds(1796216603872), 2_974_170_000_000, 531_415_040), parsed.Node);
        var app = Assert.Single(parsed.Containers);
        Assert.Equal(("default", "web", "app"), app.Key);
        Assert.Equal(new MetricsPoint(DateTimeOffset.FromUnixTimeMilliseconds(1796216603857), 1_500_000_000, 1_114_112, DateTimeOffset.FromUnixTimeMilliseconds(1_796_216_599_480)), app.Value);

        // A sample without a time is taken at the scrape's.
        Assert.Equal(T0, ResourceMetricsParser.Parse("node_cpu_usage_seconds_total 1\nnode_memory_working_set_bytes 2\n", T0).Node!.Timestamp);
        Assert.True(ResourceMetricsParser.TryParseSample("x{a=\"q\\\"uote\",b=\"2\"} 3", out _, out var labels, out var value, out _));
        Assert.Equal(("q\"uote", "2", 3.0), (labels["a"], labels["b"], value));
    }
}
