using Flotilla.Api.Serialization;
using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Apps;

/// <summary>Upstream ValidateDeploymentSpec and, for apps/v1, the fixed selector on update.</summary>
public static class DeploymentValidation
{
    private const string DefaultSurge = "25%";

    public static List<FieldError> Validate(V1Deployment deployment)
    {
        var spec = deployment.Spec ?? new V1DeploymentSpec();
        var path = FieldPath.Root("spec");
        var errors = FieldChecks.NonNegative(spec.Replicas, path.Child("replicas")).ToList();
        var selector = WorkloadTemplateValidation.Selector(spec.Selector, "deployment", path.Child("selector"), "invalid label selector", errors);
        if (selector is not null)
        {
            errors.AddRange(WorkloadTemplateValidation.ReplicaSetTemplate(spec.Template, selector, path.Child("template"), "ReplicaSet"));
        }

        errors.AddRange(Strategy(spec.Strategy, path.Child("strategy")));
        errors.AddRange(FieldChecks.NonNegative(spec.MinReadySeconds, path.Child("minReadySeconds")));
        errors.AddRange(FieldChecks.NonNegative(spec.RevisionHistoryLimit, path.Child("revisionHistoryLimit")));
        if (spec.ProgressDeadlineSeconds is { } deadline)
        {
            errors.AddRange(FieldChecks.NonNegative(deadline, path.Child("progressDeadlineSeconds")));
            if (deadline <= (spec.MinReadySeconds ?? 0))
            {
                errors.Add(FieldError.Invalid(path.Child("progressDeadlineSeconds"), deadline, "must be greater than minReadySeconds"));
            }
        }

        return errors;
    }

    public static List<FieldError> ValidateUpdate(V1Deployment deployment, V1Deployment old)
    {
        var errors = Validate(deployment);
        errors.AddRange(WorkloadTemplateValidation.ImmutableSelector(deployment.Spec?.Selector, old.Spec?.Selector));
        return errors;
    }

    // The strategy defaults to RollingUpdate with 25% surge and 25% unavailable.
    private static IEnumerable<FieldError> Strategy(V1DeploymentStrategy? strategy, FieldPath path)
    {
        var type = string.IsNullOrEmpty(strategy?.Type) ? "RollingUpdate" : strategy.Type;
        switch (type)
        {
            case "Recreate":
                if (strategy?.RollingUpdate is not null)
                {
                    yield return FieldError.Forbidden(path.Child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'");
                }

                break;
            case "RollingUpdate":
                var rolling = strategy?.RollingUpdate;
                var unavailable = rolling?.MaxUnavailable ?? DefaultSurge;
                var surge = rolling?.MaxSurge ?? DefaultSurge;
                var rollingPath = path.Child("rollingUpdate");
                foreach (var e in IntOrPercent.NonNegative(unavailable, rollingPath.Child("maxUnavailable"))
                             .Concat(IntOrPercent.NonNegative(surge, rollingPath.Child("maxSurge"))))
                {
                    yield return e;
                }

                if (IntOrPercent.Value(unavailable) == 0 && IntOrPercent.Value(surge) == 0)
                {
                    yield return FieldError.Invalid(rollingPath.Child("maxUnavailable"), GoSyntax.IntOrString(unavailable), "may not be 0 when `maxSurge` is 0");
                }

                foreach (var e in IntOrPercent.NotMoreThan100Percent(unavailable, rollingPath.Child("maxUnavailable")))
                {
                    yield return e;
                }

                break;
            default:
                var printed = new GoValue($"apps.DeploymentStrategy{{Type:{GoQuote.Quote(type)}, RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}}");
                yield return FieldError.NotSupported(path, printed, ["Recreate", "RollingUpdate"]);
                break;
        }
    }
}
