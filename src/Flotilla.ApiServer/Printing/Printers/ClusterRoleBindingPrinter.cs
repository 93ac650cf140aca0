using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>clusterrolebindings: NAME ROLE AGE | USERS GROUPS SERVICEACCOUNTS.</summary>
public sealed class ClusterRoleBindingPrinter : TablePrinter<V1ClusterRoleBinding>
{
    public override IReadOnlyList<TableColumn> Columns { get; } = Subjects.Columns("clusterRoleBinding");

    protected override IReadOnlyList<object?> Row(V1ClusterRoleBinding model, DateTimeOffset now) =>
        Subjects.Row(model.Metadata, model.RoleRef, model.Subjects, now);
}
