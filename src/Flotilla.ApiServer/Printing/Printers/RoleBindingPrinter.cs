using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>rolebindings: NAME ROLE AGE | USERS GROUPS SERVICEACCOUNTS.</summary>
public sealed class RoleBindingPrinter : TablePrinter<V1RoleBinding>
{
    public override IReadOnlyList<TableColumn> Columns { get; } = Subjects.Columns("roleBinding");

    protected override IReadOnlyList<object?> Row(V1RoleBinding model, DateTimeOffset now) =>
        Subjects.Row(model.Metadata, model.RoleRef, model.Subjects, now);
}
