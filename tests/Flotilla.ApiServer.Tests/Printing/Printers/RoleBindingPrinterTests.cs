using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class RoleBindingPrinterTests
{
    // Upstream's TestPrintRoleBinding.
    [Fact]
    public void Cells_Subjects_SplitByKind()
    {
        var binding = new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "binding1", CreationTimestamp = Clock.Ago(days: 3650) },
            RoleRef = new V1RoleRef { Kind = "Role", Name = "extension-apiserver-authentication-reader", ApiGroup = "rbac.authorization.k8s.io" },
            Subjects =
            [
                new Rbacv1Subject { Kind = "User", Name = "system:kube-controller-manager" },
                new Rbacv1Subject { Kind = "Group", Name = "system:masters" },
                new Rbacv1Subject { Kind = "ServiceAccount", NamespaceProperty = "kube-system", Name = "default" },
                new Rbacv1Subject { Kind = "User", Name = "alice" },
                new Rbacv1Subject { Kind = "Robot", Name = "ignored" },
            ],
        };

        Assert.Equal(
            ["binding1", "Role/extension-apiserver-authentication-reader", "10y", "system:kube-controller-manager, alice", "system:masters", "kube-system/default"],
            new RoleBindingPrinter().Cells(binding, Clock.Now));
    }

    [Fact]
    public void Columns_MatchUpstream()
    {
        var columns = new RoleBindingPrinter().Columns;

        Assert.Equal(["Name", "Role", "Age", "Users", "Groups", "ServiceAccounts"], columns.Select(c => c.Name));
        Assert.Equal("Users in the roleBinding", columns[3].Description);
    }
}
