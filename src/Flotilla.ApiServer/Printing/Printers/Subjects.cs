using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>The shared layout of role and cluster role bindings (rbac <c>SubjectsStrings</c>).</summary>
internal static class Subjects
{
    // Upstream still takes this description from rbac/v1beta1.
    private const string RoleRefDescription =
        "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.";

    public static IReadOnlyList<TableColumn> Columns(string kind) =>
    [
        CommonColumns.Name,
        TableColumn.String("Role", RoleRefDescription),
        CommonColumns.Age,
        TableColumn.String("Users", $"Users in the {kind}", priority: 1),
        TableColumn.String("Groups", $"Groups in the {kind}", priority: 1),
        TableColumn.String("ServiceAccounts", $"ServiceAccounts in the {kind}", priority: 1),
    ];

    public static IReadOnlyList<object?> Row(V1ObjectMeta? metadata, V1RoleRef? roleRef, IList<Rbacv1Subject>? subjects, DateTimeOffset now)
    {
        var all = subjects ?? [];

        // Subjects of other kinds are not shown.
        return
        [
            Meta.Name(metadata),
            $"{roleRef?.Kind}/{roleRef?.Name}",
            Meta.Age(metadata, now),
            string.Join(", ", all.Where(s => s.Kind == "User").Select(s => s.Name)),
            string.Join(", ", all.Where(s => s.Kind == "Group").Select(s => s.Name)),
            string.Join(", ", all.Where(s => s.Kind == "ServiceAccount").Select(s => $"{s.NamespaceProperty}/{s.Name}")),
        ];
    }
}
