using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Core;

/// <summary>Upstream validateAffinity, ValidateNodeSelector and validateTopologySpreadConstraints.</summary>
public static class AffinityValidation
{
    public static IEnumerable<FieldError> Affinity(V1Affinity? affinity, FieldPath path)
    {
        var errors = new List<FieldError>();
        if (affinity?.NodeAffinity is { } node)
        {
            var nodePath = path.Child("nodeAffinity");
            if (node.RequiredDuringSchedulingIgnoredDuringExecution is { } required)
            {
                errors.AddRange(NodeSelector(required, nodePath.Child("requiredDuringSchedulingIgnoredDuringExecution"), allowInvalidLabelValue: false));
            }

            var preferred = node.PreferredDuringSchedulingIgnoredDuringExecution ?? [];
            for (var i = 0; i < preferred.Count; i++)
            {
                var termPath = nodePath.Child("preferredDuringSchedulingIgnoredDuringExecution").Index(i);
                if (preferred[i].Weight is <= 0 or > 100)
                {
                    errors.Add(FieldError.Invalid(termPath.Child("weight"), preferred[i].Weight, "must be in the range 1-100"));
                }

                errors.AddRange(NodeSelectorTerm(preferred[i].Preference, termPath.Child("preference"), allowInvalidLabelValue: true));
            }
        }

        if (affinity?.PodAffinity is { } pod)
        {
            errors.AddRange(PodAffinityTerms(pod.RequiredDuringSchedulingIgnoredDuringExecution, pod.PreferredDuringSchedulingIgnoredDuringExecution, path.Child("podAffinity")));
        }

        if (affinity?.PodAntiAffinity is { } anti)
        {
            errors.AddRange(PodAffinityTerms(anti.RequiredDuringSchedulingIgnoredDuringExecution, anti.PreferredDuringSchedulingIgnoredDuringExecution, path.Child("podAntiAffinity")));
        }

        return errors;
    }

    public static IEnumerable<FieldError> NodeSelector(V1NodeSelector selector, FieldPath path, bool allowInvalidLabelValue)
    {
        var terms = selector.NodeSelectorTerms ?? [];
        if (terms.Count == 0)
        {
            return [FieldError.Required(path.Child("nodeSelectorTerms"), "must have at least one node selector term")];
        }

        return terms.SelectMany((term, i) => NodeSelectorTerm(term, path.Child("nodeSelectorTerms").Index(i), allowInvalidLabelValue));
    }

    public static IEnumerable<FieldError> TopologySpread(IList<V1TopologySpreadConstraint>? constraints, FieldPath path)
    {
        for (var i = 0; i < (constraints?.Count ?? 0); i++)
        {
            var constraint = constraints![i];
            var itemPath = path.Index(i);
            if (constraint.MaxSkew <= 0)
            {
                yield return FieldError.Invalid(itemPath.Child("maxSkew"), constraint.MaxSkew, ValidationText.NotPositive);
            }

            if (string.IsNullOrEmpty(constraint.TopologyKey))
            {
                yield return FieldError.Required(itemPath.Child("topologyKey"), "can not be empty");
            }

            if (constraint.WhenUnsatisfiable is not ("DoNotSchedule" or "ScheduleAnyway"))
            {
                yield return FieldError.NotSupported(itemPath.Child("whenUnsatisfiable"), constraint.WhenUnsatisfiable ?? string.Empty, ["DoNotSchedule", "ScheduleAnyway"]);
            }

            for (var j = i + 1; j < constraints.Count; j++)
            {
                if (constraints[j].TopologyKey == constraint.TopologyKey && constraints[j].WhenUnsatisfiable == constraint.WhenUnsatisfiable)
                {
                    yield return FieldError.Duplicate(itemPath.Child("{topologyKey, whenUnsatisfiable}"), $"{{{constraint.TopologyKey}, {constraint.WhenUnsatisfiable}}}");
                    break;
                }
            }

            if (constraint.MinDomains is { } minDomains)
            {
                if (minDomains <= 0)
                {
                    yield return FieldError.Invalid(itemPath.Child("minDomains"), minDomains, ValidationText.NotPositive);
                }

                if (constraint.WhenUnsatisfiable != "DoNotSchedule")
                {
                    yield return FieldError.Invalid(itemPath.Child("minDomains"), minDomains, $"can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {constraint.WhenUnsatisfiable}");
                }
            }

            foreach (var (name, policy) in new[] { ("nodeAffinityPolicy", constraint.NodeAffinityPolicy), ("nodeTaintsPolicy", constraint.NodeTaintsPolicy) })
            {
                if (policy is not null and not ("Honor" or "Ignore"))
                {
                    yield return FieldError.NotSupported(itemPath.Child(name), policy, ["Honor", "Ignore"]);
                }
            }

            foreach (var e in LabelSelectorValidation.Validate(constraint.LabelSelector, itemPath.Child("labelSelector")))
            {
                yield return e;
            }
        }
    }

    private static IEnumerable<FieldError> NodeSelectorTerm(V1NodeSelectorTerm? term, FieldPath path, bool allowInvalidLabelValue)
    {
        var expressions = term?.MatchExpressions ?? [];
        for (var j = 0; j < expressions.Count; j++)
        {
            foreach (var e in NodeSelectorRequirement(expressions[j], path.Child("matchExpressions").Index(j), allowInvalidLabelValue))
            {
                yield return e;
            }
        }

        var fields = term?.MatchFields ?? [];
        for (var j = 0; j < fields.Count; j++)
        {
            var requirement = fields[j];
            var itemPath = path.Child("matchFields").Index(j);
            var values = requirement.Values ?? [];
            if (requirement.OperatorProperty is "In" or "NotIn")
            {
                if (values.Count != 1)
                {
                    yield return FieldError.Required(itemPath.Child("values"), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector");
                }
            }
            else
            {
                yield return FieldError.Invalid(itemPath.Child("operator"), requirement.OperatorProperty ?? string.Empty, "not a valid selector operator");
            }

            if (requirement.Key != "metadata.name")
            {
                yield return FieldError.Invalid(itemPath.Child("key"), requirement.Key ?? string.Empty, "not a valid field selector key");
                continue;
            }

            for (var v = 0; v < values.Count; v++)
            {
                foreach (var e in FieldChecks.Name(values[v], NameValidation.NameIsDnsSubdomain, itemPath.Child("values").Index(v)))
                {
                    yield return e;
                }
            }
        }
    }

    private static IEnumerable<FieldError> NodeSelectorRequirement(V1NodeSelectorRequirement requirement, FieldPath path, bool allowInvalidLabelValue)
    {
        var values = requirement.Values ?? [];
        switch (requirement.OperatorProperty)
        {
            case "In" or "NotIn" when values.Count == 0:
                yield return FieldError.Required(path.Child("values"), "must be specified when `operator` is 'In' or 'NotIn'");
                break;
            case "Exists" or "DoesNotExist" when values.Count > 0:
                yield return FieldError.Forbidden(path.Child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                break;
            case "Gt" or "Lt" when values.Count != 1:
                yield return FieldError.Required(path.Child("values"), "must be specified single value when `operator` is 'Lt' or 'Gt'");
                break;
            case "In" or "NotIn" or "Exists" or "DoesNotExist" or "Gt" or "Lt":
                break;
            default:
                yield return FieldError.Invalid(path.Child("operator"), requirement.OperatorProperty ?? string.Empty, "not a valid selector operator");
                break;
        }

        foreach (var e in LabelSelectorValidation.KeyAndValues(requirement.Key, values, path, allowInvalidLabelValue))
        {
            yield return e;
        }
    }

    private static IEnumerable<FieldError> PodAffinityTerms(IList<V1PodAffinityTerm>? required, IList<V1WeightedPodAffinityTerm>? preferred, FieldPath path)
    {
        var errors = new List<FieldError>();
        for (var i = 0; i < (required?.Count ?? 0); i++)
        {
            errors.AddRange(PodAffinityTerm(required![i], path.Child("requiredDuringSchedulingIgnoredDuringExecution").Index(i)));
        }

        for (var i = 0; i < (preferred?.Count ?? 0); i++)
        {
            var termPath = path.Child("preferredDuringSchedulingIgnoredDuringExecution").Index(i);
            if (preferred![i].Weight is <= 0 or > 100)
            {
                errors.Add(FieldError.Invalid(termPath.Child("weight"), preferred[i].Weight, "must be in the range 1-100"));
            }

            errors.AddRange(PodAffinityTerm(preferred[i].PodAffinityTerm, termPath.Child("podAffinityTerm")));
        }

        return errors;
    }

    private static IEnumerable<FieldError> PodAffinityTerm(V1PodAffinityTerm? term, FieldPath path)
    {
        var errors = LabelSelectorValidation.Validate(term?.LabelSelector, path.Child("labelSelector"))
            .Concat(LabelSelectorValidation.Validate(term?.NamespaceSelector, path.Child("namespaceSelector")))
            .ToList();
        foreach (var ns in term?.Namespaces ?? [])
        {
            errors.AddRange(NameValidation.NameIsDnsLabel(ns, false).Select(m => FieldError.Invalid(path.Child("namespace"), ns, m)));
        }

        var topologyKey = term?.TopologyKey ?? string.Empty;
        if (topologyKey.Length == 0)
        {
            errors.Add(FieldError.Required(path.Child("topologyKey"), "can not be empty"));
        }

        errors.AddRange(ObjectMetaValidation.ValidateLabelName(topologyKey, path.Child("topologyKey")));
        return errors;
    }
}
