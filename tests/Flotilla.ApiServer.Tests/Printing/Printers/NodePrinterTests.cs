using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class NodePrinterTests
{
    // Upstream's TestPrintNodeStatus.
    public static TheoryData<bool, string[], string> Statuses => new()
    {
        { false, ["Ready:True"], "Ready" },
        { true, ["Ready:True"], "Ready,SchedulingDisabled" },
        { false, ["Ready:True", "Ready:True"], "Ready" },
        { false, ["Ready:False"], "NotReady" },
        { true, ["Ready:False"], "NotReady,SchedulingDisabled" },
        { false, ["InvalidValue:True"], "Unknown" },
        { false, [":"], "Unknown" },
        { true, ["InvalidValue:True"], "Unknown,SchedulingDisabled" },
        { true, [":"], "Unknown,SchedulingDisabled" },
        { false, ["Ready:Unknown"], "NotReady" },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public void Cells_Conditions_StatusColumn(bool unschedulable, string[] conditions, string expected)
    {
        var node = new V1Node
        {
            Metadata = new V1ObjectMeta { Name = "foo" },
            Spec = new V1NodeSpec { Unschedulable = unschedulable },
            Status = new V1NodeStatus
            {
                Conditions = [.. conditions.Select(c => c.Split(':')).Select(c => new V1NodeCondition { Type = c[0], Status = c[1] })],
            },
        };

        Assert.Equal(["foo", expected, "<none>", "<unknown>", ""], new NodePrinter().Cells(node, Clock.Now).Take(5));
    }

    [Fact]
    public void Cells_RoleLabels_SortedAndDeduplicated()
    {
        var node = new V1Node
        {
            Metadata = new V1ObjectMeta
            {
                Name = "foo10",
                Labels = new Dictionary<string, string>
                {
                    ["node-role.kubernetes.io/master"] = "",
                    ["node-role.kubernetes.io/control-plane"] = "",
                    ["node-role.kubernetes.io/proxy"] = "",
                    ["node-role.kubernetes.io/"] = "",
                    ["kubernetes.io/role"] = "node",
                },
            },
        };

        Assert.Equal("control-plane,master,node,proxy", new NodePrinter().Cells(node, Clock.Now)[2]);
    }

    [Fact]
    public void Cells_Wide_FirstAddressOfEachTypeAndUnknownInfo()
    {
        var node = new V1Node
        {
            Metadata = new V1ObjectMeta { Name = "foo3", CreationTimestamp = Clock.Ago(days: 12) },
            Status = new V1NodeStatus
            {
                Addresses =
                [
                    new V1NodeAddress { Type = "ExternalIP", Address = "2.2.2.2" },
                    new V1NodeAddress { Type = "InternalIP", Address = "3.3.3.3" },
                    new V1NodeAddress { Type = "ExternalIP", Address = "4.4.4.4" },
                ],
                NodeInfo = new V1NodeSystemInfo { KubeletVersion = "v1.32.0", OsImage = "fake-os-image", ContainerRuntimeVersion = "containerd://2.0.0" },
                Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }],
            },
        };

        Assert.Equal(
            ["foo3", "Ready", "<none>", "12d", "v1.32.0", "3.3.3.3", "2.2.2.2", "fake-os-image", "<unknown>", "containerd://2.0.0"],
            new NodePrinter().Cells(node, Clock.Now));
    }

    [Fact]
    public void Columns_MatchUpstream() => Assert.Equal(
        ["Name", "Status", "Roles", "Age", "Version", "Internal-IP", "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime"],
        new NodePrinter().Columns.Select(c => c.Name));
}
