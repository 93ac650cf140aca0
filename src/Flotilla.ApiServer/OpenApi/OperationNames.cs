using System.Globalization;

namespace Flotilla.ApiServer.OpenApi;

/// <summary>
/// How kube-apiserver names operations and tags: the group as <c>Core</c>, <c>Apps</c>, <c>RbacAuthorization</c>
/// (<c>.k8s.io</c> dropped, dotted parts capitalised), then the version, e.g. <c>patchAppsV1NamespacedDeployment</c>
/// and the tag <c>apps_v1</c>.
/// </summary>
internal static class OperationNames
{
    /// <summary><c>Core</c> for the legacy group, else its name's parts capitalised: <c>Networking</c>, <c>RbacAuthorization</c>.</summary>
    public static string GroupPrefix(string group)
    {
        if (group.Length == 0)
        {
            return "Core";
        }

        var trimmed = group.EndsWith(".k8s.io", StringComparison.Ordinal) ? group[..^".k8s.io".Length] : group;
        return string.Concat(trimmed.Split('.').Select(Capitalize));
    }

    /// <summary><c>CoreV1</c>, <c>AppsV1</c>, <c>AutoscalingV2</c>.</summary>
    public static string GroupVersion(string group, string version) => GroupPrefix(group) + Capitalize(version);

    /// <summary><c>core_v1</c>, <c>apps_v1</c>, <c>rbacAuthorization_v1</c>.</summary>
    public static string Tag(string group, string version) => GroupTag(group) + "_" + version;

    /// <summary>The tag of the group-level document: <c>core</c>, <c>apps</c>, <c>rbacAuthorization</c>.</summary>
    public static string GroupTag(string group)
    {
        var prefix = GroupPrefix(group);
        return char.ToLower(prefix[0], CultureInfo.InvariantCulture) + prefix[1..];
    }

    private static string Capitalize(string part) =>
        part.Length == 0 ? part : char.ToUpper(part[0], CultureInfo.InvariantCulture) + part[1..];
}
