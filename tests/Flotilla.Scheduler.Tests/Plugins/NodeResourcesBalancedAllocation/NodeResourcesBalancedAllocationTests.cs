using System.Globalization;
using Flotilla.Scheduler.Framework;
using Flotilla.Scheduler.Plugins.NodeResources;
using Flotilla.Scheduler.Plugins.NodeResourcesBalancedAllocation;
using Flotilla.Scheduler.Tests.Testing;
using k8s.Models;

namespace Flotilla.Scheduler.Tests.Plugins.NodeResourcesBalancedAllocation;

public class NodeResourcesBalancedAllocationTests
{
    private const string Gpu = "nvidia.com/gpu";

    // Upstream balanced_allocation_test.go TestNodeResourcesBalancedAllocation (v1.32: best-effort pods are scored).
    public static TheoryData<string, V1Pod, V1Node[], V1Pod[], ResourceSpec[], long[]> Cases => new()
    {
        { "nothing scheduled, nothing requested", Pod(), [Node("node1", 4000, 10000), Node("node2", 4000, 10000)], [], Default, [100, 100] },
        { "nothing scheduled, resources requested, differently sized nodes", CpuAndMemory(), [Node("node1", 4000, 10000), Node("node2", 6000, 10000)], [], Default, [87, 100] },
        {
            "resources requested, pods scheduled with resources", CpuAndMemory(), [Node("node1", 10000, 20000), Node("node2", 10000, 20000)],
            [CpuOnly("node1"), CpuAndMemory("node2")], Default, [82, 95]
        },
        {
            "resources requested, pods scheduled with resources, differently sized nodes", CpuAndMemory(), [Node("node1", 10000, 20000), Node("node2", 10000, 50000)],
            [CpuOnly("node1"), CpuAndMemory("node2")], Default, [82, 80]
        },
        {
            "requested resources at node capacity", CpuOnly(), [Node("node1", 6000, 10000), Node("node2", 6000, 10000)],
            [CpuOnly("node1"), CpuAndMemory("node2")], Default, [50, 75]
        },
        {
            "include scalar resource on a node for balanced resource allocation", Pod(Requests(memory: 0, gpu: 1)),
            [Node("node1", 3500, 40000, gpu: 8), Node("node2", 3500, 40000, gpu: 8)], [CpuAndMemory("node2"), CpuAndMemoryAndGpu("node1")],
            [.. Default, new(Gpu, 1)], [70, 65]
        },
        {
            "node without the scalar resource should skip the scalar resource", CpuAndMemory(),
            [Node("node1", 3500, 40000, gpu: 8), Node("node2", 3500, 40000)], [], [.. Default, new(Gpu, 1)], [63, 63]
        },
    };

    private static ResourceSpec[] Default => [.. ResourceSpec.Default];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Score_Fractions_OneMinusStdDeviation(string name, V1Pod pod, V1Node[] nodes, V1Pod[] existing, ResourceSpec[] resources, long[] expected)
    {
        foreach (var preScore in new[] { true, false })
        {
            var plugin = new NodeResourcesBalancedAllocationPlugin(resources);
            var state = new CycleState();
            var infos = Placement.Of(nodes, existing);
            if (preScore)
            {
                Assert.Equal(StatusCode.Success, plugin.PreScore(state, pod, infos).Code);
            }

            var scores = infos.Select(n => plugin.Score(state, pod, n)).ToList();

            Assert.All(scores, s => Assert.Equal(StatusCode.Success, s.Status.Code));
            Assert.True(expected.SequenceEqual(scores.Select(s => s.Score)), $"{name} (PreScore: {preScore}): {string.Join(", ", scores.Select(s => s.Score))}");
        }
    }

    private static V1Pod CpuAndMemory(string? node = null) => Pod(Requests(1000, 2000), Requests(2000, 3000), node);

    private static V1Pod CpuOnly(string? node = null) => Pod(Requests(1000, 0), Requests(2000, 0), node);

    private static V1Pod CpuAndMemoryAndGpu(string node) => Pod(Requests(1000, 2000), Requests(2000, 3000, gpu: 3), node);

    private static V1Pod Pod(Dictionary<string, ResourceQuantity> first, Dictionary<string, ResourceQuantity> second, string? node) =>
        new()
        {
            Metadata = new V1ObjectMeta { Name = "pod", NamespaceProperty = "default" },
            Spec = new V1PodSpec { NodeName = node, Containers = [Container("a", first), Container("b", second)] },
        };

    private static V1Pod Pod(params Dictionary<string, ResourceQuantity>[] containers) => new()
    {
        Metadata = new V1ObjectMeta { Name = "pod", NamespaceProperty = "default" },
        Spec = new V1PodSpec { Containers = [.. containers.Select((r, i) => Container($"c{i}", r))] },
    };

    private static V1Container Container(string name, Dictionary<string, ResourceQuantity> requests) =>
        new() { Name = name, Resources = new V1ResourceRequirements { Requests = requests } };

    private static Dictionary<string, ResourceQuantity> Requests(long? milliCpu = null, long memory = 0, long gpu = 0)
    {
        var requests = new Dictionary<string, ResourceQuantity> { ["memory"] = new(memory.ToString(CultureInfo.InvariantCulture)) };
        if (milliCpu is { } cpu)
        {
            requests["cpu"] = new($"{cpu}m");
        }

        if (gpu > 0)
        {
            requests[Gpu] = new(gpu.ToString(CultureInfo.InvariantCulture));
        }

        return requests;
    }

    private static V1Node Node(string name, long milliCpu, long memory, long gpu = 0)
    {
        var allocatable = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new($"{milliCpu}m"),
            ["memory"] = new(memory.ToString(CultureInfo.InvariantCulture)),
        };
        if (gpu > 0)
        {
            allocatable[Gpu] = new(gpu.ToString(CultureInfo.InvariantCulture));
        }

        return new V1Node { Metadata = new V1ObjectMeta { Name = name }, Status = new V1NodeStatus { Allocatable = allocatable, Capacity = allocatable } };
    }
}
