using System.Globalization;
using Flotilla.Scheduler.Framework;
using Flotilla.Scheduler.Plugins.NodeResources;
using Flotilla.Scheduler.Plugins.NodeResourcesFit;
using Flotilla.Scheduler.Tests.Testing;
using k8s.Models;

namespace Flotilla.Scheduler.Tests.Plugins.NodeResourcesFit;

public class NodeResourcesFitTests
{
    private const string ExtendedA = "example.com/aaa";
    private const string ExtendedB = "example.com/bbb";
    private const string KubernetesIoA = "kubernetes.io/something";
    private const string KubernetesIoB = "subdomain.kubernetes.io/something";
    private const string HugePageA = "hugepages-2Mi";

    // Upstream fit_test.go TestEnoughRequests, on a node with 10m CPU, 20 bytes of memory, 32 pods, 5 of
    // example.com/aaa, 20 bytes of ephemeral storage and 5 of hugepages-2Mi.
    public static TheoryData<string, V1Pod, V1Pod, InsufficientResource[]> EnoughRequests => new()
    {
        { "no resources requested always fits", Pod(), Pod(R(10, 20)), [] },
        { "too many resources fails", Pod(R(1, 1)), Pod(R(10, 20)), [Cpu(1, 10, 10), Memory(1, 20, 20)] },
        { "too many resources fails due to init container cpu", Init(Pod(R(1, 1)), R(3, 1)), Pod(R(8, 19)), [Cpu(3, 8, 10)] },
        { "too many resources fails due to highest init container cpu", Init(Pod(R(1, 1)), R(3, 1), R(2, 1)), Pod(R(8, 19)), [Cpu(3, 8, 10)] },
        { "too many resources fails due to init container memory", Init(Pod(R(1, 1)), R(1, 3)), Pod(R(9, 19)), [Memory(3, 19, 20)] },
        { "too many resources fails due to highest init container memory", Init(Pod(R(1, 1)), R(1, 3), R(1, 2)), Pod(R(9, 19)), [Memory(3, 19, 20)] },
        { "init container fits because it's the max, not sum, of containers and init containers", Init(Pod(R(1, 1)), R(1, 1)), Pod(R(9, 19)), [] },
        { "multiple init containers fit because it's the max, not sum, of containers and init containers", Init(Pod(R(1, 1)), R(1, 1), R(1, 1)), Pod(R(9, 19)), [] },
        { "both resources fit", Pod(R(1, 1)), Pod(R(5, 5)), [] },
        { "one resource memory fits", Pod(R(2, 1)), Pod(R(9, 5)), [Cpu(2, 9, 10)] },
        { "one resource cpu fits", Pod(R(1, 2)), Pod(R(5, 19)), [Memory(2, 19, 20)] },
        { "equal edge case", Pod(R(5, 1)), Pod(R(5, 19)), [] },
        { "equal edge case for init container", Init(Pod(R(4, 1)), R(5, 1)), Pod(R(5, 19)), [] },
        { "extended resource fits", Pod(R(0, 0, ExtendedA, 1)), Pod(R()), [] },
        { "extended resource fits for init container", Init(Pod(R()), R(0, 0, ExtendedA, 1)), Pod(R()), [] },
        { "extended resource capacity enforced", Pod(R(1, 1, ExtendedA, 10)), Pod(R(0, 0, ExtendedA, 0)), [Short(ExtendedA, 10, 0, 5)] },
        { "extended resource capacity enforced for init container", Init(Pod(R()), R(1, 1, ExtendedA, 10)), Pod(R(0, 0, ExtendedA, 0)), [Short(ExtendedA, 10, 0, 5)] },
        { "extended resource allocatable enforced", Pod(R(1, 1, ExtendedA, 1)), Pod(R(0, 0, ExtendedA, 5)), [Short(ExtendedA, 1, 5, 5)] },
        { "extended resource allocatable enforced for init container", Init(Pod(R()), R(1, 1, ExtendedA, 1)), Pod(R(0, 0, ExtendedA, 5)), [Short(ExtendedA, 1, 5, 5)] },
        { "extended resource allocatable enforced for multiple containers", Pod(R(1, 1, ExtendedA, 3), R(1, 1, ExtendedA, 3)), Pod(R(0, 0, ExtendedA, 2)), [Short(ExtendedA, 6, 2, 5)] },
        { "extended resource allocatable admits multiple init containers", Init(Pod(R()), R(1, 1, ExtendedA, 3), R(1, 1, ExtendedA, 3)), Pod(R(0, 0, ExtendedA, 2)), [] },
        { "extended resource allocatable enforced for multiple init containers", Init(Pod(R()), R(1, 1, ExtendedA, 6), R(1, 1, ExtendedA, 3)), Pod(R(0, 0, ExtendedA, 2)), [Short(ExtendedA, 6, 2, 5)] },
        { "extended resource allocatable enforced for unknown resource", Pod(R(1, 1, ExtendedB, 1)), Pod(R()), [Short(ExtendedB, 1, 0, 0)] },
        { "extended resource allocatable enforced for unknown resource for init container", Init(Pod(R()), R(1, 1, ExtendedB, 1)), Pod(R()), [Short(ExtendedB, 1, 0, 0)] },
        { "kubernetes.io resource capacity enforced", Pod(R(1, 1, KubernetesIoA, 10)), Pod(R()), [Short(KubernetesIoA, 10, 0, 0)] },
        { "kubernetes.io resource capacity enforced for init container", Init(Pod(R()), R(1, 1, KubernetesIoB, 10)), Pod(R()), [Short(KubernetesIoB, 10, 0, 0)] },
        { "hugepages resource capacity enforced", Pod(R(1, 1, HugePageA, 10)), Pod(R(0, 0, HugePageA, 0)), [Short(HugePageA, 10, 0, 5)] },
        { "hugepages resource capacity enforced for init container", Init(Pod(R()), R(1, 1, HugePageA, 10)), Pod(R(0, 0, HugePageA, 0)), [Short(HugePageA, 10, 0, 5)] },
        { "hugepages resource allocatable enforced for multiple containers", Pod(R(1, 1, HugePageA, 3), R(1, 1, HugePageA, 3)), Pod(R(0, 0, HugePageA, 2)), [Short(HugePageA, 6, 2, 5)] },
        { "resources + pod overhead fits", Overhead(Pod(R(1, 1)), "3m", "13"), Pod(R(5, 5)), [] },
        { "requests + overhead does not fit for memory", Overhead(Pod(R(1, 1)), "1m", "15"), Pod(R(5, 5)), [Memory(16, 5, 20)] },
        { "skip checking extended resource request with quantity zero", Pod(R(1, 1, ExtendedA, 0)), Pod(R(0, 0, ExtendedA, 6)), [] },
        { "skip checking resource request with quantity zero", Pod(R(0, 0, ExtendedA, 1)), Pod(R(20, 30, ExtendedA, 1)), [] },
    };

    // Upstream TestNotEnoughRequests: the node allows one pod and already runs one.
    public static TheoryData<string, V1Pod, V1Pod> NotEnoughRequests => new()
    {
        { "even without specified resources, predicate fails when there's no space for additional pod", Pod(), Pod(R(10, 20)) },
        { "even if both resources fit, predicate fails when there's no space for additional pod", Pod(R(1, 1)), Pod(R(5, 5)) },
        { "even for equal edge case, predicate fails when there's no space for additional pod", Pod(R(5, 1)), Pod(R(5, 19)) },
        { "even for equal edge case, predicate fails when there's no space for additional pod due to init container", Init(Pod(R(5, 1)), R(5, 1)), Pod(R(5, 19)) },
    };

    // Upstream TestStorageRequests.
    public static TheoryData<string, V1Pod, V1Pod, string[]> StorageRequests => new()
    {
        { "empty storage requested, and pod fits", Pod(R(1, 1)), Pod(R(2, 10)), [] },
        { "storage ephemeral local storage request exceeds allocatable", Pod(R(storage: 25)), Pod(R(2, 2)), ["Insufficient ephemeral-storage"] },
        { "ephemeral local storage is sufficient", Pod(R(storage: 5)), Pod(R(2, 2, storage: 10)), [] },
        { "pod fits", Pod(R(storage: 10)), Pod(R(2, 2)), [] },
    };

    // Upstream TestRestartableInitContainers (sidecars enabled, as in v1.32): a node with 2m CPU and room for one pod.
    public static TheoryData<string, V1Pod, string[]> Sidecars => new()
    {
        { "allow pod without restartable init containers", Pod(R()), [] },
        { "allow pod with restartable init containers", Sidecar(Pod(R()), R()), [] },
        { "allow pod if the total requested resources do not exceed the node's allocatable resources", Sidecar(Pod(R(1)), R(1)), [] },
        { "not allow pod if the total requested resources do exceed the node's allocatable resources", Sidecar(Pod(R(1)), R(2)), ["Insufficient cpu"] },
    };

    // Upstream least_allocated_test.go TestLeastAllocatedScoringStrategy (quantities in whole CPUs and bytes).
    public static TheoryData<string, V1Pod, V1Node[], V1Pod[], ResourceSpec[], long[]> LeastAllocated => new()
    {
        { "nothing scheduled, nothing requested", Pod(), [Node("node1", 4000, 10000), Node("node2", 4000, 10000)], [], Default, [100, 100] },
        { "nothing scheduled, resources requested, differently sized nodes", Pod(Cores(1000, 2000), Cores(2000, 3000)), [Node("node1", 4000, 10000), Node("node2", 6000, 10000)], [], Default, [37, 50] },
        { "no resources requested, pods scheduled", Pod(), [Node("node1", 4000, 10000), Node("node2", 4000, 10000)], [On("node1", Pod()), On("node1", Pod()), On("node2", Pod()), On("node2", Pod())], Default, [100, 100] },
        {
            "no resources requested, pods scheduled with resources", Pod(), [Node("node1", 10000, 20000), Node("node2", 10000, 20000)],
            [On("node1", Pod(Cores(3000, 0))), On("node1", Pod(Cores(3000, 0))), On("node2", Pod(Cores(3000, 0))), On("node2", Pod(Cores(3000, 5000)))], Default, [70, 57]
        },
        {
            "resources requested, pods scheduled with resources", Pod(Cores(1000, 2000), Cores(2000, 3000)), [Node("node1", 10000, 20000), Node("node2", 10000, 20000)],
            [On("node1", Pod(Cores(3000, 0))), On("node2", Pod(Cores(3000, 5000)))], Default, [57, 45]
        },
        {
            "resources requested, pods scheduled with resources, differently sized nodes", Pod(Cores(1000, 2000), Cores(2000, 3000)), [Node("node1", 10000, 20000), Node("node2", 10000, 50000)],
            [On("node1", Pod(Cores(3000, 0))), On("node2", Pod(Cores(3000, 5000)))], Default, [57, 60]
        },
        {
            "requested resources exceed node capacity", Pod(Cores(3000, 0)), [Node("node1", 4000, 10000), Node("node2", 4000, 10000)],
            [On("node1", Pod(Cores(3000, 0))), On("node2", Pod(Cores(3000, 5000)))], Default, [50, 25]
        },
        {
            "zero node resources, pods scheduled with resources", Pod(), [Node("node1"), Node("node2")],
            [On("node1", Pod(Cores(3000, 0))), On("node2", Pod(Cores(3000, 5000)))], Default, [0, 0]
        },
        {
            "nothing scheduled, resources requested with different weight on CPU and memory, differently sized nodes", Pod(Cores(1000, 2000), Cores(2000, 3000)),
            [Node("node1", 4000, 10000), Node("node2", 6000, 10000)], [], [new("memory", 2), new("cpu", 1)], [41, 50]
        },
        {
            "bypass extended resource if the pod does not request", Pod(Cores(1000, 2000), Cores(2000, 3000)),
            [Node("node1", 6000, 10000), Node("node2", 6000, 10000, ("abc.com/xyz", 4))], [], [.. Default, new("abc.com/xyz", 1)], [50, 50]
        },
        {
            "honor extended resource if the pod requests", Pod(Cores(3000, 5000, ("abc.com/xyz", 2))),
            [Node("node1", 6000, 10000, ("abc.com/xyz", 4)), Node("node2", 6000, 10000, ("abc.com/xyz", 10))], [], [.. Default, new("abc.com/xyz", 1)], [50, 60]
        },
        {
            "if the node doesn't have a resource", Pod(Cores(3000, 4000)),
            [Node("node1", 6000, 10000), Node("node2", 6000, 10000, ("abc.com/xyz", 4))], [], [new("abc.com/xyz", 2), .. Default], [55, 55]
        },
    };

    private static ResourceSpec[] Default => [.. ResourceSpec.Default];

    [Theory]
    [MemberData(nameof(EnoughRequests))]
    public void Filter_Requests_InsufficientAsUpstream(string name, V1Pod pod, V1Pod existing, InsufficientResource[] expected)
    {
        var node = Nodes.Info(ResourceNode(milliCpu: 10, memory: 20, pods: 32, extendedA: 5, storage: 20, hugePageA: 5), existing);

        var status = RunFilter(pod, node);

        Assert.Equal(expected, NodeResourcesFitPlugin.Fits(pod, node));
        Assert.True((expected.Length == 0 ? StatusCode.Success : StatusCode.Unschedulable) == status.Code, $"{name}: {status}");
        Assert.Equal(expected.Select(r => r.Reason), status.Reasons);
    }

    [Theory]
    [MemberData(nameof(NotEnoughRequests))]
    public void Filter_NoRoomForAnotherPod_TooManyPods(string name, V1Pod pod, V1Pod existing)
    {
        var node = Nodes.Info(ResourceNode(milliCpu: 10, memory: 20, pods: 1), existing);

        var status = RunFilter(pod, node);

        Assert.True(status.Code == StatusCode.Unschedulable, $"{name}: {status}");
        Assert.Equal(["Too many pods"], status.Reasons);
    }

    [Theory]
    [MemberData(nameof(StorageRequests))]
    public void Filter_EphemeralStorage_AgainstAllocatable(string name, V1Pod pod, V1Pod existing, string[] expected)
    {
        var node = Nodes.Info(ResourceNode(milliCpu: 10, memory: 20, pods: 32, extendedA: 5, storage: 20, hugePageA: 5), existing);

        var status = RunFilter(pod, node);

        Assert.True(expected.SequenceEqual(status.Reasons), $"{name}: {status}");
    }

    [Theory]
    [MemberData(nameof(Sidecars))]
    public void Filter_RestartableInitContainers_CountedWithContainers(string name, V1Pod pod, string[] expected)
    {
        var status = RunFilter(pod, Nodes.Info(ResourceNode(milliCpu: 2, memory: 0, pods: 1)));

        Assert.True(expected.SequenceEqual(status.Reasons), $"{name}: {status}");
    }

    [Fact]
    public void Filter_WithoutPreFilter_Errors()
    {
        var status = new NodeResourcesFitPlugin().Filter(new CycleState(), Pod(), Nodes.Info(ResourceNode(milliCpu: 10, memory: 20, pods: 32)));

        Assert.Equal(StatusCode.Error, status.Code);
    }

    [Theory]
    [MemberData(nameof(LeastAllocated))]
    public void Score_LeastAllocated_AsUpstream(string name, V1Pod pod, V1Node[] nodes, V1Pod[] existing, ResourceSpec[] resources, long[] expected)
    {
        foreach (var preScore in new[] { true, false })
        {
            var plugin = new NodeResourcesFitPlugin(resources);
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

    [Fact]
    public void Score_NoResources_Errors()
    {
        var plugin = new NodeResourcesFitPlugin([]);

        var (score, status) = plugin.Score(new CycleState(), Pod(Cores(1000, 2000)), Placement.Of([Node("node1", 4000, 10000)])[0]);

        Assert.Equal(0, score);
        Assert.Equal(StatusCode.Error, status.Code);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(101)]
    public void Constructor_WeightOutOfRange_Throws(long weight)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NodeResourcesFitPlugin([new("memory", weight), new("cpu", 1)]));
    }

    private static Status RunFilter(V1Pod pod, NodeInfo node)
    {
        var plugin = new NodeResourcesFitPlugin();
        var state = new CycleState();
        Assert.Equal(StatusCode.Success, plugin.PreFilter(state, pod, [node]).Status.Code);
        return plugin.Filter(state, pod, node);
    }

    private static InsufficientResource Cpu(long requested, long used, long capacity) => new("cpu", "Insufficient cpu", requested, used, capacity);

    private static InsufficientResource Memory(long requested, long used, long capacity) => new("memory", "Insufficient memory", requested, used, capacity);

    private static InsufficientResource Short(string name, long requested, long used, long capacity) => new(name, "Insufficient " + name, requested, used, capacity);

    // As upstream's newResourcePod: every container lists CPU (milli), memory, pods and ephemeral storage, even at 0.
    private static Dictionary<string, ResourceQuantity> R(long milliCpu = 0, long memory = 0, string? scalar = null, long amount = 0, long storage = 0)
    {
        var requests = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new($"{milliCpu}m"),
            ["memory"] = new(memory.ToString(CultureInfo.InvariantCulture)),
            ["pods"] = new("0"),
            ["ephemeral-storage"] = new(storage.ToString(CultureInfo.InvariantCulture)),
        };
        if (scalar is not null)
        {
            requests[scalar] = new(amount.ToString(CultureInfo.InvariantCulture));
        }

        return requests;
    }

    // As upstream's st.MakePod().Req(...): only the named resources, CPU in whole cores.
    private static Dictionary<string, ResourceQuantity> Cores(long cpu, long memory, params (string Name, long Amount)[] extra)
    {
        var requests = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new(cpu.ToString(CultureInfo.InvariantCulture)),
            ["memory"] = new(memory.ToString(CultureInfo.InvariantCulture)),
        };
        foreach (var (name, amount) in extra)
        {
            requests[name] = new(amount.ToString(CultureInfo.InvariantCulture));
        }

        return requests;
    }

    private static V1Pod Pod(params Dictionary<string, ResourceQuantity>[] containers) => new()
    {
        Metadata = new V1ObjectMeta { Name = "pod", NamespaceProperty = "default" },
        Spec = new V1PodSpec { Containers = [.. containers.Select((r, i) => Container($"c{i}", r))] },
    };

    private static V1Pod Init(V1Pod pod, params Dictionary<string, ResourceQuantity>[] containers)
    {
        pod.Spec.InitContainers = [.. containers.Select((r, i) => Container($"init{i}", r))];
        return pod;
    }

    private static V1Pod Sidecar(V1Pod pod, Dictionary<string, ResourceQuantity> requests)
    {
        var sidecar = Container("restartable-init", requests);
        sidecar.RestartPolicy = "Always";
        pod.Spec.InitContainers = [sidecar];
        return pod;
    }

    private static V1Pod Overhead(V1Pod pod, string cpu, string memory)
    {
        pod.Spec.Overhead = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new(memory) };
        return pod;
    }

    private static V1Pod On(string node, V1Pod pod)
    {
        pod.Spec.NodeName = node;
        return pod;
    }

    private static V1Container Container(string name, Dictionary<string, ResourceQuantity> requests) =>
        new() { Name = name, Resources = new V1ResourceRequirements { Requests = requests } };

    private static V1Node ResourceNode(long milliCpu, long memory, long pods, long extendedA = 0, long storage = 0, long hugePageA = 0)
    {
        var allocatable = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new($"{milliCpu}m"),
            ["memory"] = new(memory.ToString(CultureInfo.InvariantCulture)),
            ["pods"] = new(pods.ToString(CultureInfo.InvariantCulture)),
            [ExtendedA] = new(extendedA.ToString(CultureInfo.InvariantCulture)),
            ["ephemeral-storage"] = new(storage.ToString(CultureInfo.InvariantCulture)),
            [HugePageA] = new(hugePageA.ToString(CultureInfo.InvariantCulture)),
        };
        return new V1Node { Metadata = new V1ObjectMeta { Name = "node" }, Status = new V1NodeStatus { Allocatable = allocatable, Capacity = allocatable } };
    }

    // As upstream's st.MakeNode().Capacity(...): allocatable equals capacity, only the named resources.
    private static V1Node Node(string name, long cpu = 0, long memory = 0, params (string Name, long Amount)[] extra)
    {
        var allocatable = new Dictionary<string, ResourceQuantity>();
        if (cpu > 0)
        {
            allocatable["cpu"] = new(cpu.ToString(CultureInfo.InvariantCulture));
            allocatable["memory"] = new(memory.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var (resource, amount) in extra)
        {
            allocatable[resource] = new(amount.ToString(CultureInfo.InvariantCulture));
        }

        return new V1Node { Metadata = new V1ObjectMeta { Name = name }, Status = new V1NodeStatus { Allocatable = allocatable, Capacity = allocatable } };
    }
}
