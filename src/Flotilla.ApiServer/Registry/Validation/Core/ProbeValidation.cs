using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Core;

/// <summary>Upstream's probe, handler and lifecycle validation.</summary>
public static class ProbeValidation
{
    public static IEnumerable<FieldError> Liveness(V1Probe? probe, long gracePeriod, FieldPath path) => WithSuccessThresholdOne(probe, gracePeriod, path);

    public static IEnumerable<FieldError> Startup(V1Probe? probe, long gracePeriod, FieldPath path) => WithSuccessThresholdOne(probe, gracePeriod, path);

    public static IEnumerable<FieldError> Readiness(V1Probe? probe, long gracePeriod, FieldPath path)
    {
        if (probe is null)
        {
            return [];
        }

        var errors = Probe(probe, gracePeriod, path);
        if (probe.TerminationGracePeriodSeconds is { } seconds)
        {
            errors.Add(FieldError.Invalid(path.Child("terminationGracePeriodSeconds"), seconds, "must not be set for readinessProbes"));
        }

        return errors;
    }

    public static IEnumerable<FieldError> Lifecycle(V1Lifecycle? lifecycle, long gracePeriod, FieldPath path)
    {
        var errors = new List<FieldError>();
        if (lifecycle?.PostStart is { } postStart)
        {
            errors.AddRange(Handler(postStart.Exec, postStart.HttpGet, postStart.TcpSocket, null, postStart.Sleep, gracePeriod, path.Child("postStart")));
        }

        if (lifecycle?.PreStop is { } preStop)
        {
            errors.AddRange(Handler(preStop.Exec, preStop.HttpGet, preStop.TcpSocket, null, preStop.Sleep, gracePeriod, path.Child("preStop")));
        }

        return errors;
    }

    private static List<FieldError> WithSuccessThresholdOne(V1Probe? probe, long gracePeriod, FieldPath path)
    {
        if (probe is null)
        {
            return [];
        }

        var errors = Probe(probe, gracePeriod, path);

        // successThreshold defaults to 1.
        if (probe.SuccessThreshold is { } threshold and not 1)
        {
            errors.Add(FieldError.Invalid(path.Child("successThreshold"), threshold, "must be 1"));
        }

        return errors;
    }

    private static List<FieldError> Probe(V1Probe probe, long gracePeriod, FieldPath path)
    {
        var errors = Handler(probe.Exec, probe.HttpGet, probe.TcpSocket, probe.Grpc, null, gracePeriod, path);
        errors.AddRange(FieldChecks.NonNegative(probe.InitialDelaySeconds, path.Child("initialDelaySeconds")));
        errors.AddRange(FieldChecks.NonNegative(probe.TimeoutSeconds, path.Child("timeoutSeconds")));
        errors.AddRange(FieldChecks.NonNegative(probe.PeriodSeconds, path.Child("periodSeconds")));
        errors.AddRange(FieldChecks.NonNegative(probe.SuccessThreshold, path.Child("successThreshold")));
        errors.AddRange(FieldChecks.NonNegative(probe.FailureThreshold, path.Child("failureThreshold")));
        if (probe.TerminationGracePeriodSeconds is <= 0)
        {
            errors.Add(FieldError.Invalid(path.Child("terminationGracePeriodSeconds"), probe.TerminationGracePeriodSeconds.Value, "must be greater than 0"));
        }

        return errors;
    }

    private static List<FieldError> Handler(
        V1ExecAction? exec, V1HTTPGetAction? httpGet, V1TCPSocketAction? tcpSocket, V1GRPCAction? grpc, V1SleepAction? sleep, long gracePeriod, FieldPath path)
    {
        var errors = new List<FieldError>();
        var count = 0;
        void One(object? handler, string name, Func<FieldPath, IEnumerable<FieldError>> validate)
        {
            if (handler is null)
            {
                return;
            }

            if (count > 0)
            {
                errors.Add(FieldError.Forbidden(path.Child(name), "may not specify more than 1 handler type"));
                return;
            }

            count++;
            errors.AddRange(validate(path.Child(name)));
        }

        One(exec, "exec", p => exec!.Command is { Count: > 0 } ? [] : [FieldError.Required(p.Child("command"))]);
        One(httpGet, "httpGet", p => HttpGet(httpGet!, p));
        One(tcpSocket, "tcpSocket", p => ContainerPortValidation.ValidateNumOrName(tcpSocket!.Port, p.Child("port")));
        One(grpc, "grpc", p => FormatValidation.IsValidPortNum(grpc!.Port).Select(m => FieldError.Invalid(p.Child("port"), grpc.Port, m)));
        One(sleep, "sleep", p => Sleep(sleep!, gracePeriod, p));
        if (count == 0)
        {
            errors.Add(FieldError.Required(path, "must specify a handler type"));
        }

        return errors;
    }

    private static IEnumerable<FieldError> HttpGet(V1HTTPGetAction action, FieldPath path)
    {
        // path defaults to "/" and scheme to HTTP.
        foreach (var e in ContainerPortValidation.ValidateNumOrName(action.Port, path.Child("port")))
        {
            yield return e;
        }

        if (!string.IsNullOrEmpty(action.Scheme) && action.Scheme is not ("HTTP" or "HTTPS"))
        {
            yield return FieldError.NotSupported(path.Child("scheme"), action.Scheme, ["HTTP", "HTTPS"]);
        }

        foreach (var header in action.HttpHeaders ?? [])
        {
            foreach (var message in FormatValidation.IsHttpHeaderName(header.Name ?? string.Empty))
            {
                yield return FieldError.Invalid(path.Child("httpHeaders"), header.Name ?? string.Empty, message);
            }
        }
    }

    // PodLifecycleSleepActionAllowZero is alpha (off) in v1.32: zero seconds is rejected.
    private static IEnumerable<FieldError> Sleep(V1SleepAction sleep, long gracePeriod, FieldPath path) =>
        sleep.Seconds <= 0 || sleep.Seconds > gracePeriod
            ? [FieldError.Invalid(path, sleep.Seconds, $"must be greater than 0 and less than terminationGracePeriodSeconds ({gracePeriod}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.")]
            : [];
}
