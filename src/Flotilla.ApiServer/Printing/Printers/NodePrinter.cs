using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>nodes: NAME STATUS ROLES AGE VERSION | INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME.</summary>
public sealed class NodePrinter : TablePrinter<V1Node>
{
    private const string RolePrefix = "node-role.kubernetes.io/";
    private const string RoleLabel = "kubernetes.io/role";
    private const string AddressesDescription = "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).";

    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        TableColumn.String("Status", "The status of the node"),
        TableColumn.String("Roles", "The roles of the node"),
        CommonColumns.Age,
        TableColumn.String("Version", "Kubelet Version reported by the node."),
        TableColumn.String("Internal-IP", AddressesDescription, priority: 1),
        TableColumn.String("External-IP", AddressesDescription, priority: 1),
        TableColumn.String("OS-Image", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", priority: 1),
        TableColumn.String("Kernel-Version", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", priority: 1),
        TableColumn.String("Container-Runtime", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", priority: 1),
    ];

    protected override IReadOnlyList<object?> Row(V1Node model, DateTimeOffset now)
    {
        var info = model.Status?.NodeInfo;
        var roles = Roles(model);
        return
        [
            Meta.Name(model.Metadata),
            Status(model),
            roles.Length == 0 ? "<none>" : roles,
            Meta.Age(model.Metadata, now),
            info?.KubeletVersion ?? "",
            Address(model, "InternalIP"),
            Address(model, "ExternalIP"),
            OrUnknown(info?.OsImage),
            OrUnknown(info?.KernelVersion),
            OrUnknown(info?.ContainerRuntimeVersion),
        ];
    }

    // Only the Ready condition is shown; the last entry of that type counts.
    private static string Status(V1Node node)
    {
        var ready = (node.Status?.Conditions ?? []).LastOrDefault(c => c.Type == "Ready");
        var status = new List<string> { ready is null ? "Unknown" : ready.Status == "True" ? "Ready" : "NotReady" };
        if (node.Spec?.Unschedulable == true)
        {
            status.Add("SchedulingDisabled");
        }

        return string.Join(',', status);
    }

    // Roles come from node-role.kubernetes.io/<role> label keys and the value of kubernetes.io/role.
    private static string Roles(V1Node node)
    {
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in node.Metadata?.Labels ?? new Dictionary<string, string>())
        {
            if (key.StartsWith(RolePrefix, StringComparison.Ordinal) && key.Length > RolePrefix.Length)
            {
                roles.Add(key[RolePrefix.Length..]);
            }
            else if (key == RoleLabel && !string.IsNullOrEmpty(value))
            {
                roles.Add(value);
            }
        }

        return string.Join(',', roles);
    }

    private static string Address(V1Node node, string type) =>
        node.Status?.Addresses?.FirstOrDefault(a => a.Type == type) is { } address ? address.Address ?? "" : "<none>";

    private static string OrUnknown(string? value) => string.IsNullOrEmpty(value) ? "<unknown>" : value;
}
