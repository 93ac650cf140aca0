using Flotilla.Api.Serialization;
using Flotilla.Api.Validation;
using Flotilla.ApiServer.Registry.Validation.Core;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Batch;

/// <summary>Upstream validateJobSpec: what a Job and a CronJob's job template share.</summary>
public static class JobSpecValidation
{
    private const int MaxParallelismForIndexed = 100_000;
    private const int MaxFailedIndexes = 100_000;
    private const int CompletionsSoftLimit = 100_000;
    private const int ParallelismLimitForHighCompletions = 10_000;
    private const int MaxManagedByLength = 63;
    private const int MaxPodFailurePolicyRules = 20;
    private const int MaxSuccessPolicyRules = 20;

    private static readonly string[] Actions = ["Count", "FailIndex", "FailJob", "Ignore"];

    public static List<FieldError> Validate(V1JobSpec? spec, FieldPath path)
    {
        spec ??= new V1JobSpec();
        var errors = new List<FieldError>();
        errors.AddRange(FieldChecks.NonNegative(spec.Parallelism, path.Child("parallelism")));
        errors.AddRange(FieldChecks.NonNegative(spec.Completions, path.Child("completions")));
        errors.AddRange(FieldChecks.NonNegative(spec.ActiveDeadlineSeconds, path.Child("activeDeadlineSeconds")));
        errors.AddRange(FieldChecks.NonNegative(spec.BackoffLimit, path.Child("backoffLimit")));
        errors.AddRange(FieldChecks.NonNegative(spec.TtlSecondsAfterFinished, path.Child("ttlSecondsAfterFinished")));
        errors.AddRange(FieldChecks.NonNegative(spec.BackoffLimitPerIndex, path.Child("backoffLimitPerIndex")));
        if (spec.MaxFailedIndexes is { } maxFailed)
        {
            errors.AddRange(FieldChecks.NonNegative(maxFailed, path.Child("maxFailedIndexes")));
            if (spec.BackoffLimitPerIndex is null)
            {
                errors.Add(FieldError.Required(path.Child("backoffLimitPerIndex"), "when maxFailedIndexes is specified"));
            }
        }

        if (spec.ManagedBy is { } managedBy)
        {
            errors.AddRange(FormatValidation.IsDomainPrefixedPath(path.Child("managedBy"), managedBy));
            if (managedBy.Length > MaxManagedByLength)
            {
                errors.Add(FieldError.TooLong(path.Child("managedBy"), MaxManagedByLength));
            }
        }

        var indexed = spec.CompletionMode == "Indexed";
        if (spec.CompletionMode is { } mode)
        {
            if (mode is not ("NonIndexed" or "Indexed"))
            {
                errors.Add(FieldError.NotSupported(path.Child("completionMode"), mode, ["NonIndexed", "Indexed"]));
            }

            if (indexed)
            {
                errors.AddRange(IndexedLimits(spec, path));
            }
        }

        if (!indexed)
        {
            if (spec.BackoffLimitPerIndex is { } perIndex)
            {
                errors.Add(FieldError.Invalid(path.Child("backoffLimitPerIndex"), perIndex, "requires indexed completion mode"));
            }

            if (spec.MaxFailedIndexes is { } failedIndexes)
            {
                errors.Add(FieldError.Invalid(path.Child("maxFailedIndexes"), failedIndexes, "requires indexed completion mode"));
            }
        }

        if (spec.PodFailurePolicy is { } failurePolicy)
        {
            errors.AddRange(PodFailurePolicy(spec, failurePolicy, path.Child("podFailurePolicy")));
        }

        if (spec.SuccessPolicy is { } successPolicy)
        {
            errors.AddRange(indexed
                ? SuccessPolicy(spec, successPolicy, path.Child("successPolicy"))
                : [FieldError.Invalid(path.Child("successPolicy"), new GoValue("batch.SuccessPolicy{...}"), "requires indexed completion mode")]);
        }

        if (spec.PodReplacementPolicy is { } replacement)
        {
            string[] allowed = spec.PodFailurePolicy is null ? ["Failed", "TerminatingOrFailed"] : ["Failed"];
            if (!allowed.Contains(replacement))
            {
                errors.Add(FieldError.NotSupported(path.Child("podReplacementPolicy"), replacement, allowed));
            }
        }

        errors.AddRange(PodTemplateValidation.Validate(spec.Template, path.Child("template")));

        // An unset restartPolicy is defaulted to Always before validation, hence "Required" for both.
        var restartPath = path.Child("template", "spec", "restartPolicy");
        var restartPolicy = spec.Template?.Spec?.RestartPolicy ?? string.Empty;
        if (restartPolicy is "Always" or "")
        {
            errors.Add(FieldError.Required(restartPath, "valid values: \"OnFailure\", \"Never\""));
        }
        else if (restartPolicy is not ("OnFailure" or "Never"))
        {
            errors.Add(FieldError.NotSupported(restartPath, restartPolicy, ["OnFailure", "Never"]));
        }
        else if (spec.PodFailurePolicy is not null && restartPolicy != "Never")
        {
            errors.Add(FieldError.Invalid(restartPath, restartPolicy, "only \"Never\" is supported when podFailurePolicy is specified"));
        }

        return errors;
    }

    private static IEnumerable<FieldError> IndexedLimits(V1JobSpec spec, FieldPath path)
    {
        if (spec.Completions is null)
        {
            yield return FieldError.Required(path.Child("completions"), "when completion mode is Indexed");
        }

        if (spec.Parallelism is > MaxParallelismForIndexed)
        {
            yield return FieldError.Invalid(path.Child("parallelism"), spec.Parallelism.Value, $"must be less than or equal to {MaxParallelismForIndexed} when completion mode is Indexed");
        }

        if (spec.Completions is { } completions && spec.MaxFailedIndexes is { } failed && failed > completions)
        {
            yield return FieldError.Invalid(path.Child("maxFailedIndexes"), failed, "must be less than or equal to completions");
        }

        if (spec.MaxFailedIndexes is > MaxFailedIndexes)
        {
            yield return FieldError.Invalid(path.Child("maxFailedIndexes"), spec.MaxFailedIndexes.Value, $"must be less than or equal to {MaxFailedIndexes}");
        }

        if (spec.Completions is > CompletionsSoftLimit && spec.BackoffLimitPerIndex is not null)
        {
            if (spec.MaxFailedIndexes is null)
            {
                yield return FieldError.Required(path.Child("maxFailedIndexes"), $"must be specified when completions is above {CompletionsSoftLimit}");
            }

            if (spec.Parallelism is > ParallelismLimitForHighCompletions)
            {
                yield return FieldError.Invalid(path.Child("parallelism"), spec.Parallelism.Value, $"must be less than or equal to {ParallelismLimitForHighCompletions} when completions are above {CompletionsSoftLimit} and used with backoff limit per index");
            }
        }
    }

    private static IEnumerable<FieldError> PodFailurePolicy(V1JobSpec spec, V1PodFailurePolicy policy, FieldPath path)
    {
        var rules = policy.Rules ?? [];
        var rulesPath = path.Child("rules");
        if (rules.Count > MaxPodFailurePolicyRules)
        {
            yield return FieldChecks.TooMany(rulesPath, rules.Count, MaxPodFailurePolicyRules);
        }

        var containers = (spec.Template?.Spec?.Containers ?? []).Concat(spec.Template?.Spec?.InitContainers ?? []).Select(c => c.Name ?? string.Empty).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var rulePath = rulesPath.Index(i);
            if (string.IsNullOrEmpty(rule.Action))
            {
                yield return FieldError.Required(rulePath.Child("action"), $"valid values: {GoQuotedList(Actions)}");
            }
            else if (rule.Action == "FailIndex" && spec.BackoffLimitPerIndex is null)
            {
                yield return FieldError.Invalid(rulePath.Child("action"), rule.Action, "requires the backoffLimitPerIndex to be set");
            }
            else if (!Actions.Contains(rule.Action))
            {
                yield return FieldError.NotSupported(rulePath.Child("action"), rule.Action, Actions);
            }

            var onExitCodes = rule.OnExitCodes;
            var onConditions = rule.OnPodConditions ?? [];
            if (onExitCodes is not null)
            {
                foreach (var e in ExitCodes(onExitCodes, containers, rulePath.Child("onExitCodes")))
                {
                    yield return e;
                }
            }

            for (var j = 0; j < onConditions.Count; j++)
            {
                var patternPath = rulePath.Child("onPodConditions").Index(j);
                foreach (var e in FieldChecks.QualifiedName(onConditions[j].Type ?? string.Empty, patternPath.Child("type")))
                {
                    yield return e;
                }

                // status defaults to True.
                if (onConditions[j].Status is { Length: > 0 } status && status is not ("False" or "True" or "Unknown"))
                {
                    yield return FieldError.NotSupported(patternPath.Child("status"), status, ["False", "True", "Unknown"]);
                }
            }

            if (onExitCodes is not null && onConditions.Count > 0)
            {
                yield return new FieldError(FieldErrorType.Invalid, rulePath, null, "specifying both OnExitCodes and OnPodConditions is not supported");
            }

            if (onExitCodes is null && onConditions.Count == 0)
            {
                yield return new FieldError(FieldErrorType.Invalid, rulePath, null, "specifying one of OnExitCodes and OnPodConditions is required");
            }
        }
    }

    private static IEnumerable<FieldError> ExitCodes(V1PodFailurePolicyOnExitCodesRequirement requirement, HashSet<string> containers, FieldPath path)
    {
        var op = requirement.OperatorProperty ?? string.Empty;
        if (op.Length == 0)
        {
            yield return FieldError.Required(path.Child("operator"), "valid values: [\"In\" \"NotIn\"]");
        }
        else if (op is not ("In" or "NotIn"))
        {
            yield return FieldError.NotSupported(path.Child("operator"), op, ["In", "NotIn"]);
        }

        if (requirement.ContainerName is { } container && !containers.Contains(container))
        {
            yield return FieldError.Invalid(path.Child("containerName"), container, "must be one of the container or initContainer names in the pod template");
        }

        var values = requirement.Values ?? [];
        var valuesPath = path.Child("values");
        if (values.Count == 0)
        {
            yield return FieldError.Invalid(valuesPath, new GoValue("[]int32(nil)"), "at least one value is required");
        }
        else if (values.Count > 255)
        {
            yield return FieldChecks.TooMany(valuesPath, values.Count, 255);
        }

        var seen = new HashSet<int>();
        var ordered = true;
        for (var j = 0; j < values.Count; j++)
        {
            if (op == "In" && values[j] == 0)
            {
                yield return FieldError.Invalid(valuesPath.Index(j), 0, "must not be 0 for the In operator");
            }

            if (!seen.Add(values[j]))
            {
                yield return FieldError.Duplicate(valuesPath.Index(j), values[j]);
            }

            ordered &= j == 0 || values[j - 1] <= values[j];
        }

        if (!ordered)
        {
            yield return FieldError.Invalid(valuesPath, new GoValue("[]int32{" + string.Join(", ", values) + "}"), "must be ordered");
        }
    }

    private static IEnumerable<FieldError> SuccessPolicy(V1JobSpec spec, V1SuccessPolicy policy, FieldPath path)
    {
        var rules = policy.Rules ?? [];
        var rulesPath = path.Child("rules");
        if (rules.Count == 0)
        {
            yield return FieldError.Required(rulesPath, "at least one rules must be specified when the successPolicy is specified");
        }

        if (rules.Count > MaxSuccessPolicyRules)
        {
            yield return FieldChecks.TooMany(rulesPath, rules.Count, MaxSuccessPolicyRules);
        }

        var completions = spec.Completions ?? 0;
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var rulePath = rulesPath.Index(i);
            if (rule.SucceededCount is null && rule.SucceededIndexes is null)
            {
                yield return FieldError.Required(rulePath, "at least one of succeededCount or succeededIndexes must be specified");
            }

            if (rule.SucceededCount is { } count)
            {
                foreach (var e in FieldChecks.NonNegative(count, rulePath.Child("succeededCount")))
                {
                    yield return e;
                }

                if (count > completions)
                {
                    yield return FieldError.Invalid(rulePath.Child("succeededCount"), count, $"must be less than or equal to {completions} (the number of specified completions)");
                }
            }
        }
    }

    private static string GoQuotedList(IEnumerable<string> values) => "[" + string.Join(" ", values.Select(GoQuote.Quote)) + "]";
}
