using Flotilla.Api.Validation;

namespace Flotilla.ApiServer.Registry.Validation.Core;

/// <summary>Upstream's core helper predicates on resource names (standard, native, extended, hugepages, integer).</summary>
public static class ResourceNames
{
    public const string HugePagesPrefix = "hugepages-";

    private const string DefaultRequestsPrefix = "requests.";

    private static readonly HashSet<string> StandardContainerResources = ["cpu", "memory", "ephemeral-storage"];

    private static readonly HashSet<string> StandardResources =
    [
        "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage",
        "limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods", "services", "replicationcontrollers",
        "resourcequotas", "secrets", "persistentvolumeclaims", "configmaps", "services.nodeports",
        "services.loadbalancers", "storage", "requests.storage",
    ];

    private static readonly HashSet<string> StandardQuotaResources =
    [
        "pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps", "persistentvolumeclaims",
        "services.nodeports", "services.loadbalancers", "cpu", "memory", "ephemeral-storage", "requests.cpu",
        "requests.memory", "requests.ephemeral-storage", "requests.storage", "limits.cpu", "limits.memory",
        "limits.ephemeral-storage",
    ];

    private static readonly HashSet<string> IntegerResources =
    [
        "pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps", "persistentvolumeclaims",
        "services.nodeports", "services.loadbalancers",
    ];

    public static bool IsHugePages(string name) => name.StartsWith(HugePagesPrefix, StringComparison.Ordinal);

    public static bool IsNative(string name) => !name.Contains('/', StringComparison.Ordinal) || name.Contains("kubernetes.io/", StringComparison.Ordinal);

    public static bool IsExtended(string name) =>
        !IsNative(name) && !name.StartsWith(DefaultRequestsPrefix, StringComparison.Ordinal) &&
        NameValidation.IsQualifiedName(DefaultRequestsPrefix + name).Count == 0;

    /// <summary>Hugepages and extended resources cannot be overcommitted: requests must equal limits.</summary>
    public static bool IsOvercommitAllowed(string name) => IsNative(name) && !IsHugePages(name);

    public static bool IsStandard(string name) =>
        StandardResources.Contains(name) || IsHugePages(name) || name.StartsWith("requests." + HugePagesPrefix, StringComparison.Ordinal);

    public static bool IsStandardContainer(string name) => StandardContainerResources.Contains(name) || IsHugePages(name);

    public static bool IsStandardQuota(string name) =>
        StandardQuotaResources.Contains(name) || name.StartsWith("requests." + HugePagesPrefix, StringComparison.Ordinal) ||
        name.StartsWith("count/", StringComparison.Ordinal);

    public static bool IsInteger(string name) => IntegerResources.Contains(name) || IsExtended(name) || name.StartsWith("count/", StringComparison.Ordinal);

    /// <summary>Upstream validateResourceName: a qualified name, and a standard one when it has no domain.</summary>
    public static List<FieldError> Validate(string name, FieldPath path)
    {
        var errors = NameValidation.IsQualifiedName(name).Select(m => FieldError.Invalid(path, name, m)).ToList();
        if (errors.Count == 0 && !name.Contains('/', StringComparison.Ordinal) && !IsStandard(name))
        {
            errors.Add(FieldError.Invalid(path, name, "must be a standard resource type or fully qualified"));
        }

        return errors;
    }

    /// <summary>Upstream validateContainerResourceName.</summary>
    public static List<FieldError> ValidateForContainer(string name, FieldPath path)
    {
        var errors = Validate(name, path);
        if (!name.Contains('/', StringComparison.Ordinal))
        {
            if (!IsStandardContainer(name))
            {
                errors.Add(FieldError.Invalid(path, name, "must be a standard resource for containers"));
            }
        }
        else if (!IsNative(name) && !IsExtended(name))
        {
            errors.Add(FieldError.Invalid(path, name, "doesn't follow extended resource name standard"));
        }

        return errors;
    }

    /// <summary>Upstream ValidateResourceQuotaResourceName.</summary>
    public static List<FieldError> ValidateForQuota(string name, FieldPath path)
    {
        var errors = Validate(name, path);
        if (!name.Contains('/', StringComparison.Ordinal) && !IsStandardQuota(name))
        {
            errors.Add(FieldError.Invalid(path, name, "must be a standard resource for quota"));
        }

        return errors;
    }
}
