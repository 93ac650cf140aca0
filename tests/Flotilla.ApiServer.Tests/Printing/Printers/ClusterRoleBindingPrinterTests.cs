using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class ClusterRoleBindingPrinterTests
{
    // Upstream's TestPrintClusterRoleBinding.
    [Fact]
    public void Cells_ClusterRoleBinding_RoleAndSubjects()
    {
        var binding = new V1ClusterRoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "binding2", CreationTimestamp = Clock.Ago(days: 3650) },
            RoleRef = new V1RoleRef { Kind = "ClusterRole", Name = "role-name", ApiGroup = "rbac.authorization.k8s.io" },
            Subjects = [new Rbacv1Subject { Kind = "Group", Name = "system:masters" }],
        };

        Assert.Equal(["binding2", "ClusterRole/role-name", "10y", "", "system:masters", ""], new ClusterRoleBindingPrinter().Cells(binding, Clock.Now));
        Assert.Equal("Groups in the clusterRoleBinding", new ClusterRoleBindingPrinter().Columns[4].Description);
    }
}
