using Flotilla.Api.Validation;
using Flotilla.ApiServer.Registry.Validation.Core;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Autoscaling;

/// <summary>Upstream validateHorizontalPodAutoscalerSpec for autoscaling/v2 (create and update validate the same).</summary>
public static class HorizontalPodAutoscalerValidation
{
    private const int MaxStabilizationWindowSeconds = 3600;
    private const int MaxPeriodSeconds = 1800;
    private static readonly string[] SourceTypes = ["ContainerResource", "External", "Object", "Pods", "Resource"];

    public static List<FieldError> Validate(V2HorizontalPodAutoscaler autoscaler)
    {
        var spec = autoscaler.Spec ?? new V2HorizontalPodAutoscalerSpec();
        var path = FieldPath.Root("spec");
        var errors = new List<FieldError>();

        // HPAScaleToZero is alpha (off) in v1.32.
        if (spec.MinReplicas is < 1)
        {
            errors.Add(FieldError.Invalid(path.Child("minReplicas"), spec.MinReplicas.Value, "must be greater than or equal to 1"));
        }

        if (spec.MaxReplicas < 1)
        {
            errors.Add(FieldError.Invalid(path.Child("maxReplicas"), spec.MaxReplicas, "must be greater than 0"));
        }

        if (spec.MinReplicas is { } min && spec.MaxReplicas < min)
        {
            errors.Add(FieldError.Invalid(path.Child("maxReplicas"), spec.MaxReplicas, "must be greater than or equal to `minReplicas`"));
        }

        // As upstream, metrics are checked only with a valid target, and behavior only with valid metrics.
        var refErrors = Reference(spec.ScaleTargetRef, path.Child("scaleTargetRef")).ToList();
        if (refErrors.Count > 0)
        {
            errors.AddRange(refErrors);
            return errors;
        }

        var metricErrors = (spec.Metrics ?? []).SelectMany((m, i) => Metric(m, path.Child("metrics").Index(i))).ToList();
        if (metricErrors.Count > 0)
        {
            errors.AddRange(metricErrors);
            return errors;
        }

        errors.AddRange(Rules(spec.Behavior?.ScaleUp, path.Child("behavior", "scaleUp")));
        errors.AddRange(Rules(spec.Behavior?.ScaleDown, path.Child("behavior", "scaleDown")));
        return errors;
    }

    private static IEnumerable<FieldError> Reference(V2CrossVersionObjectReference? reference, FieldPath path) =>
        PathSegment(reference?.Kind, path.Child("kind"), string.Empty).Concat(PathSegment(reference?.Name, path.Child("name"), string.Empty));

    private static IEnumerable<FieldError> PathSegment(string? value, FieldPath path, string requiredDetail) =>
        string.IsNullOrEmpty(value)
            ? [FieldError.Required(path, requiredDetail)]
            : NameValidation.IsValidPathSegmentName(value).Select(m => FieldError.Invalid(path, value, m));

    private static List<FieldError> Metric(V2MetricSpec metric, FieldPath path)
    {
        var errors = new List<FieldError>();
        var type = metric.Type ?? string.Empty;
        if (type.Length == 0)
        {
            errors.Add(FieldError.Required(path.Child("type"), "must specify a metric source type"));
        }

        if (!SourceTypes.Contains(type))
        {
            errors.Add(FieldError.NotSupported(path.Child("type"), type, SourceTypes));
        }

        (string Field, string Type, object? Source, Func<IEnumerable<FieldError>> Validate)[] sources =
        [
            ("object", "Object", metric.ObjectProperty, () => ObjectSource(metric.ObjectProperty, path.Child("object"))),
            ("pods", "Pods", metric.Pods, () => PodsSource(metric.Pods, path.Child("pods"))),
            ("resource", "Resource", metric.Resource, () => ResourceSource(metric.Resource.Name, metric.Resource.Target, path.Child("resource"))),
            ("external", "External", metric.External, () => ExternalSource(metric.External, path.Child("external"))),
            ("containerResource", "ContainerResource", metric.ContainerResource, () => ContainerResourceSource(metric.ContainerResource, path.Child("containerResource"))),
        ];
        var present = sources.Where(s => s.Source is not null).ToList();
        if (present.Count > 0)
        {
            errors.AddRange(present[0].Validate());
        }

        var expected = sources.FirstOrDefault(s => s.Type == type);
        if (expected.Field is null)
        {
            errors.Add(FieldError.NotSupported(path.Child("type"), type, SourceTypes));
        }
        else if (expected.Source is null)
        {
            errors.Add(FieldError.Required(path.Child(expected.Field), "must populate information for the given metric source"));
        }

        foreach (var other in present.Where(s => s.Field != expected.Field).OrderBy(s => s.Field, StringComparer.Ordinal))
        {
            errors.Add(FieldError.Forbidden(path.Child(other.Field), "must populate the given metric source only"));
        }

        return errors;
    }

    private static IEnumerable<FieldError> ResourceSource(string? name, V2MetricTarget? target, FieldPath path)
    {
        var errors = string.IsNullOrEmpty(name)
            ? [FieldError.Required(path.Child("name"), "must specify a resource name")]
            : ResourceNames.ValidateForContainer(name, path.Child("name"));
        errors.AddRange(Target(target, path.Child("target")));
        if (target?.AverageUtilization is null && target?.AverageValue is null)
        {
            errors.Add(FieldError.Required(path.Child("target", "averageUtilization"), "must set either a target raw value or a target utilization"));
        }

        if (target?.AverageUtilization is not null && target.AverageValue is not null)
        {
            errors.Add(FieldError.Forbidden(path.Child("target", "averageValue"), "may not set both a target raw value and a target utilization"));
        }

        return errors;
    }

    private static IEnumerable<FieldError> ContainerResourceSource(V2ContainerResourceMetricSource source, FieldPath path)
    {
        var errors = ResourceSource(source.Name, source.Target, path).ToList();
        if (string.IsNullOrEmpty(source.Container))
        {
            errors.Add(FieldError.Required(path.Child("container"), "must specify a container"));
        }
        else
        {
            errors.AddRange(FieldChecks.Dns1123Label(source.Container, path.Child("container")));
        }

        return errors;
    }

    private static IEnumerable<FieldError> PodsSource(V2PodsMetricSource source, FieldPath path)
    {
        var errors = Identifier(source.Metric, path.Child("metric")).Concat(Target(source.Target, path.Child("target"))).ToList();
        if (source.Target?.AverageValue is null)
        {
            errors.Add(FieldError.Required(path.Child("target", "averageValue"), "must specify a positive target averageValue"));
        }

        return errors;
    }

    private static IEnumerable<FieldError> ObjectSource(V2ObjectMetricSource source, FieldPath path)
    {
        var errors = Reference(source.DescribedObject, path.Child("describedObject"))
            .Concat(Identifier(source.Metric, path.Child("metric"))).Concat(Target(source.Target, path.Child("target"))).ToList();
        if (source.Target?.Value is null && source.Target?.AverageValue is null)
        {
            errors.Add(FieldError.Required(path.Child("target", "averageValue"), "must set either a target value or averageValue"));
        }

        return errors;
    }

    private static IEnumerable<FieldError> ExternalSource(V2ExternalMetricSource source, FieldPath path)
    {
        var errors = Identifier(source.Metric, path.Child("metric")).Concat(Target(source.Target, path.Child("target"))).ToList();
        if (source.Target?.Value is null && source.Target?.AverageValue is null)
        {
            errors.Add(FieldError.Required(path.Child("target", "averageValue"), "must set either a target value for metric or a per-pod target"));
        }

        if (source.Target?.Value is not null && source.Target.AverageValue is not null)
        {
            errors.Add(FieldError.Forbidden(path.Child("target", "value"), "may not set both a target value for metric and a per-pod target"));
        }

        return errors;
    }

    private static IEnumerable<FieldError> Identifier(V2MetricIdentifier? metric, FieldPath path) =>
        PathSegment(metric?.Name, path.Child("name"), "must specify a metric name")
            .Concat(LabelSelectorValidation.Validate(metric?.Selector, path.Child("selector")));

    private static IEnumerable<FieldError> Target(V2MetricTarget? target, FieldPath path)
    {
        var type = target?.Type ?? string.Empty;
        if (type.Length == 0)
        {
            yield return FieldError.Required(path.Child("type"), "must specify a metric target type");
        }

        if (type is not ("Utilization" or "Value" or "AverageValue"))
        {
            yield return FieldError.Invalid(path.Child("type"), type, "must be either Utilization, Value, or AverageValue");
        }

        if (target?.Value is { } value && Quantities.Value(value) <= 0)
        {
            yield return FieldError.Invalid(path.Child("value"), new GoValue(Quantities.Canonical(value)), "must be positive");
        }

        if (target?.AverageValue is { } average && Quantities.Value(average) <= 0)
        {
            yield return FieldError.Invalid(path.Child("averageValue"), new GoValue(Quantities.Canonical(average)), "must be positive");
        }

        if (target?.AverageUtilization is < 1)
        {
            yield return FieldError.Invalid(path.Child("averageUtilization"), target.AverageUtilization.Value, "must be greater than 0");
        }
    }

    // Unset policies are defaulted, so only given ones are checked.
    private static IEnumerable<FieldError> Rules(V2HPAScalingRules? rules, FieldPath path)
    {
        if (rules is null)
        {
            yield break;
        }

        if (rules.StabilizationWindowSeconds is < 0)
        {
            yield return FieldError.Invalid(path.Child("stabilizationWindowSeconds"), rules.StabilizationWindowSeconds.Value, "must be greater than or equal to zero");
        }

        if (rules.StabilizationWindowSeconds is > MaxStabilizationWindowSeconds)
        {
            yield return FieldError.Invalid(path.Child("stabilizationWindowSeconds"), rules.StabilizationWindowSeconds.Value, $"must be less than or equal to {MaxStabilizationWindowSeconds}");
        }

        if (rules.SelectPolicy is { } select && select is not ("Disabled" or "Max" or "Min"))
        {
            yield return FieldError.NotSupported(path.Child("selectPolicy"), select, ["Disabled", "Max", "Min"]);
        }

        var policies = rules.Policies ?? [];
        for (var i = 0; i < policies.Count; i++)
        {
            var policyPath = path.Child("policies").Index(i);
            if (policies[i].Type is not ("Pods" or "Percent"))
            {
                yield return FieldError.NotSupported(policyPath.Child("type"), policies[i].Type ?? string.Empty, ["Percent", "Pods"]);
            }

            if (policies[i].Value <= 0)
            {
                yield return FieldError.Invalid(policyPath.Child("value"), policies[i].Value, ValidationText.NotPositive);
            }

            if (policies[i].PeriodSeconds <= 0)
            {
                yield return FieldError.Invalid(policyPath.Child("periodSeconds"), policies[i].PeriodSeconds, ValidationText.NotPositive);
            }

            if (policies[i].PeriodSeconds > MaxPeriodSeconds)
            {
                yield return FieldError.Invalid(policyPath.Child("periodSeconds"), policies[i].PeriodSeconds, $"must be less than or equal to {MaxPeriodSeconds}");
            }
        }
    }
}
