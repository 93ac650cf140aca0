using k8s.Models;

namespace Flotilla.Scheduler.Tests.Testing;

/// <summary>Nodes and pods for table-driven plugin tests, with only the fields a test names.</summary>
internal static class Make
{
    public static V1Node Node(
        string name,
        string cpu = "4",
        string memory = "8Gi",
        int pods = 110,
        Dictionary<string, string>? labels = null,
        IList<V1Taint>? taints = null,
        bool unschedulable = false,
        IList<V1ContainerImage>? images = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Uid = "uid-" + name, Labels = labels ?? new Dictionary<string, string> { ["kubernetes.io/hostname"] = name } },
        Spec = new V1NodeSpec { Taints = taints, Unschedulable = unschedulable },
        Status = new V1NodeStatus
        {
            Allocatable = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new(memory), ["pods"] = new($"{pods}") },
            Capacity = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new(memory), ["pods"] = new($"{pods}") },
            Images = images,
        },
    };

    public static V1Pod Pod(
        string name,
        string? cpu = null,
        string? memory = null,
        string ns = "default",
        Dictionary<string, string>? labels = null,
        string? nodeName = null,
        int? priority = null,
        V1Affinity? affinity = null,
        IList<V1Toleration>? tolerations = null,
        IDictionary<string, string>? nodeSelector = null,
        IList<V1TopologySpreadConstraint>? spread = null,
        IList<V1ContainerPort>? ports = null,
        string image = "busybox:1.35")
    {
        var requests = new Dictionary<string, ResourceQuantity>();
        if (cpu is not null)
        {
            requests["cpu"] = new ResourceQuantity(cpu);
        }

        if (memory is not null)
        {
            requests["memory"] = new ResourceQuantity(memory);
        }

        return new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Uid = "uid-" + ns + "-" + name, Labels = labels },
            Spec = new V1PodSpec
            {
                NodeName = nodeName,
                Priority = priority,
                Affinity = affinity,
                Tolerations = tolerations,
                NodeSelector = nodeSelector,
                TopologySpreadConstraints = spread,
                SchedulerName = "default-scheduler",
                Containers = [new V1Container { Name = "c", Image = image, Ports = ports, Resources = new V1ResourceRequirements { Requests = requests } }],
            },
            Status = new V1PodStatus { Phase = nodeName is null ? "Pending" : "Running" },
        };
    }
}
