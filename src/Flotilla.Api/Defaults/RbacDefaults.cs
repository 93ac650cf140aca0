using k8s.Models;

namespace Flotilla.Api.Defaults;

/// <summary>
/// Upstream's rbac/v1 SetDefaults_RoleBinding, SetDefaults_ClusterRoleBinding and SetDefaults_Subject: role refs and
/// user or group subjects belong to the RBAC group; service accounts to the core group.
/// </summary>
public static class RbacDefaults
{
    public const string GroupName = "rbac.authorization.k8s.io";

    public static void Apply(V1RoleBinding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        Apply(binding.RoleRef ??= new V1RoleRef(), binding.Subjects);
    }

    public static void Apply(V1ClusterRoleBinding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        Apply(binding.RoleRef ??= new V1RoleRef(), binding.Subjects);
    }

    private static void Apply(V1RoleRef roleRef, IList<Rbacv1Subject>? subjects)
    {
        if (string.IsNullOrEmpty(roleRef.ApiGroup))
        {
            roleRef.ApiGroup = GroupName;
        }

        // A service account subject stays in the core group: "", which the wire omits.
        foreach (var subject in subjects ?? [])
        {
            if (string.IsNullOrEmpty(subject.ApiGroup) && subject.Kind is "User" or "Group")
            {
                subject.ApiGroup = GroupName;
            }
        }
    }
}
