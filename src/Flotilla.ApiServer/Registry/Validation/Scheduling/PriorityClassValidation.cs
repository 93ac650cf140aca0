using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Scheduling;

/// <summary>Upstream ValidatePriorityClass and ValidatePriorityClassUpdate.</summary>
public static class PriorityClassValidation
{
    public const int HighestUserDefinablePriority = 1_000_000_000;

    private const string SystemPrefix = "system-";

    private static readonly (string Name, int Value)[] SystemClasses =
    [
        ("system-node-critical", 2_000_001_000),
        ("system-cluster-critical", 2_000_000_000),
    ];

    public static List<FieldError> Validate(V1PriorityClass priorityClass)
    {
        var errors = new List<FieldError>();
        var name = priorityClass.Metadata?.Name ?? string.Empty;
        var value = priorityClass.Value ?? 0;
        if (name.StartsWith(SystemPrefix, StringComparison.Ordinal))
        {
            if (KnownSystemClassError(name, value, priorityClass.GlobalDefault == true) is { } error)
            {
                errors.Add(FieldError.Forbidden(FieldPath.Root("metadata").Child("name"), $"priority class names with '{SystemPrefix}' prefix are reserved for system use only. error: {error}"));
            }
        }
        else if (value > HighestUserDefinablePriority)
        {
            errors.Add(FieldError.Forbidden(FieldPath.Root("value"), $"maximum allowed value of a user defined priority is {HighestUserDefinablePriority}"));
        }

        if (priorityClass.PreemptionPolicy is { } policy && policy is not ("PreemptLowerPriority" or "Never"))
        {
            errors.Add(policy.Length == 0
                ? FieldError.Required(FieldPath.Root("preemptionPolicy"))
                : FieldError.NotSupported(FieldPath.Root("preemptionPolicy"), policy, ["PreemptLowerPriority", "Never"]));
        }

        return errors;
    }

    /// <summary>Value and preemption policy are fixed; as upstream, the new object itself is not validated again.</summary>
    public static List<FieldError> ValidateUpdate(V1PriorityClass priorityClass, V1PriorityClass old)
    {
        var errors = new List<FieldError>();
        if (priorityClass.Value != old.Value)
        {
            errors.Add(FieldError.Forbidden(FieldPath.Root("value"), "may not be changed in an update."));
        }

        errors.AddRange(FieldChecks.Immutable(
            priorityClass.PreemptionPolicy ?? "PreemptLowerPriority", old.PreemptionPolicy ?? "PreemptLowerPriority", FieldPath.Root("preemptionPolicy")));
        return errors;
    }

    private static string? KnownSystemClassError(string name, int value, bool globalDefault)
    {
        foreach (var (systemName, systemValue) in SystemClasses)
        {
            if (systemName != name)
            {
                continue;
            }

            if (systemValue != value)
            {
                return $"value of {name} PriorityClass must be {systemValue}";
            }

            return globalDefault ? $"globalDefault of {name} PriorityClass must be false" : null;
        }

        return $"{name} is not a known system priority class";
    }
}
