using System.Text;
using System.Text.Json.Nodes;
using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Core;

/// <summary>
/// Upstream ValidatePodUpdate's spec rules: only images, activeDeadlineSeconds, added tolerations, removed scheduling
/// gates (and a negative grace period raised to 1) may change; anything else is reported with a diff of the spec.
/// </summary>
public static class PodUpdateValidation
{
    public const string UpdatableFields =
        "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`," +
        "`spec.tolerations` (only additions to existing tolerations)," +
        "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

    public static List<FieldError> ValidateSpecUpdate(V1PodSpec spec, V1PodSpec old)
    {
        var path = FieldPath.Root("spec");
        var errors = new List<FieldError>();
        if (ContainerUpdates(spec.Containers, old.Containers, path.Child("containers"), errors) ||
            ContainerUpdates(spec.InitContainers, old.InitContainers, path.Child("initContainers"), errors))
        {
            return errors;
        }

        if (spec.ActiveDeadlineSeconds is { } deadline)
        {
            if (deadline is < 0 or > int.MaxValue)
            {
                errors.Add(FieldError.Invalid(path.Child("activeDeadlineSeconds"), deadline, ValidationText.InclusiveRange(0, int.MaxValue)));
                return errors;
            }

            if (old.ActiveDeadlineSeconds is { } oldDeadline && oldDeadline < deadline)
            {
                errors.Add(FieldError.Invalid(path.Child("activeDeadlineSeconds"), deadline, "must be less than or equal to previous value"));
                return errors;
            }
        }
        else if (old.ActiveDeadlineSeconds is not null)
        {
            errors.Add(FieldError.Invalid(path.Child("activeDeadlineSeconds"), GoValue.Null, "must not update from a positive integer to nil value"));
        }

        errors.AddRange(OnlyAddedTolerations(spec.Tolerations, old.Tolerations, path.Child("tolerations")));
        errors.AddRange(OnlyDeletedSchedulingGates(spec.SchedulingGates, old.SchedulingGates, path.Child("schedulingGates")));
        if (ModelJson.SemanticEqual(spec, old))
        {
            return errors;
        }

        var munged = ModelJson.Clone(spec);
        CopyImages(munged.Containers, old.Containers);
        CopyImages(munged.InitContainers, old.InitContainers);
        munged.ActiveDeadlineSeconds = old.ActiveDeadlineSeconds;
        munged.SchedulingGates = old.SchedulingGates;
        munged.Tolerations = old.Tolerations;
        if (old.TerminationGracePeriodSeconds is < 0 && munged.TerminationGracePeriodSeconds == 1)
        {
            munged.TerminationGracePeriodSeconds = old.TerminationGracePeriodSeconds;
        }

        // A pod still gated from scheduling may gain node selector entries (but not lose or change them).
        if (old.SchedulingGates is { Count: > 0 } && !ModelJson.SemanticEqual(munged.NodeSelector, old.NodeSelector))
        {
            var oldSelector = old.NodeSelector ?? new Dictionary<string, string>();
            var newSelector = munged.NodeSelector ?? new Dictionary<string, string>();
            if (oldSelector.Any(p => !newSelector.TryGetValue(p.Key, out var v) || v != p.Value))
            {
                errors.Add(FieldError.Invalid(path.Child("nodeSelector"), GoSyntax.StringMap(munged.NodeSelector), "only additions to spec.nodeSelector are allowed (no mutations or deletions)"));
            }

            munged.NodeSelector = old.NodeSelector;
        }

        if (!ModelJson.SemanticEqual(munged, old))
        {
            errors.Add(FieldError.Forbidden(path, $"pod updates may not change fields other than {UpdatableFields}\n{Diff(old, munged)}"));
        }

        return errors;
    }

    /// <summary>Upstream ValidateContainerUpdates; true when the list changed length, which ends the checks.</summary>
    private static bool ContainerUpdates(IList<V1Container>? containers, IList<V1Container>? old, FieldPath path, List<FieldError> errors)
    {
        containers ??= [];
        if (containers.Count != (old?.Count ?? 0))
        {
            errors.Add(FieldError.Forbidden(path, "pod updates may not add or remove containers"));
            return true;
        }

        for (var i = 0; i < containers.Count; i++)
        {
            var image = containers[i].Image ?? string.Empty;
            if (image.Length == 0)
            {
                errors.Add(FieldError.Required(path.Index(i).Child("image")));
            }

            if (image.Trim().Length != image.Length)
            {
                errors.Add(FieldError.Invalid(path.Index(i).Child("image"), image, "must not have leading or trailing whitespace"));
            }
        }

        return false;
    }

    private static IEnumerable<FieldError> OnlyAddedTolerations(IList<V1Toleration>? tolerations, IList<V1Toleration>? old, FieldPath path)
    {
        tolerations ??= [];
        foreach (var existing in old ?? [])
        {
            // tolerationSeconds may change; everything else of an existing toleration stays.
            var kept = tolerations.Any(t => t.Key == existing.Key && t.OperatorProperty == existing.OperatorProperty &&
                                            t.Value == existing.Value && t.Effect == existing.Effect);
            if (!kept)
            {
                return [FieldError.Forbidden(path, "existing toleration can not be modified except its tolerationSeconds")];
            }
        }

        return TolerationValidation.Tolerations(tolerations, path);
    }

    private static IEnumerable<FieldError> OnlyDeletedSchedulingGates(IList<V1PodSchedulingGate>? gates, IList<V1PodSchedulingGate>? old, FieldPath path)
    {
        var oldNames = (old ?? []).Select(g => g.Name).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < (gates?.Count ?? 0); i++)
        {
            if (!oldNames.Contains(gates![i].Name))
            {
                yield return FieldError.Forbidden(path.Index(i).Child("name"), $"only deletion is allowed, but found new scheduling gate '{gates[i].Name}'");
            }
        }
    }

    private static void CopyImages(IList<V1Container>? containers, IList<V1Container>? old)
    {
        for (var i = 0; i < (containers?.Count ?? 0); i++)
        {
            containers![i].Image = old![i].Image;
        }
    }

    // Upstream prints cmp.Diff(old, new) of the spec; this prints the changed top-level fields in the same shape.
    private static string Diff(V1PodSpec old, V1PodSpec updated)
    {
        var before = ModelJson.ToNode(old)?.AsObject() ?? [];
        var after = ModelJson.ToNode(updated)?.AsObject() ?? [];
        var text = new StringBuilder("  core.PodSpec{\n");
        foreach (var key in before.Select(p => p.Key).Union(after.Select(p => p.Key)).Order(StringComparer.Ordinal))
        {
            var a = before[key];
            var b = after[key];
            if (JsonNode.DeepEquals(a, b))
            {
                continue;
            }

            var field = char.ToUpperInvariant(key[0]) + key[1..];
            if (a is not null)
            {
                text.Append("- \t").Append(field).Append(": ").Append(a.ToJsonString()).Append(",\n");
            }

            if (b is not null)
            {
                text.Append("+ \t").Append(field).Append(": ").Append(b.ToJsonString()).Append(",\n");
            }
        }

        return text.Append("  }\n").ToString();
    }
}
