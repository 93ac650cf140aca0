using k8s.Models;

namespace Flotilla.Api.Defaults;

/// <summary>Upstream's SetDefaults_Probe and SetDefaults_HTTPGetAction, plus the gRPC service's declared default.</summary>
public static class ProbeDefaults
{
    public const int TimeoutSeconds = 1;
    public const int PeriodSeconds = 10;
    public const int SuccessThreshold = 1;
    public const int FailureThreshold = 3;

    // Go's int32 fields: zero and absent are the same thing.
    public static void Apply(V1Probe? probe)
    {
        if (probe is null)
        {
            return;
        }

        if (probe.TimeoutSeconds is null or 0)
        {
            probe.TimeoutSeconds = TimeoutSeconds;
        }

        if (probe.PeriodSeconds is null or 0)
        {
            probe.PeriodSeconds = PeriodSeconds;
        }

        if (probe.SuccessThreshold is null or 0)
        {
            probe.SuccessThreshold = SuccessThreshold;
        }

        if (probe.FailureThreshold is null or 0)
        {
            probe.FailureThreshold = FailureThreshold;
        }

        Apply(probe.HttpGet);
        if (probe.Grpc is { Service: null } grpc)
        {
            // +default="" on GRPCAction.service: the server's overall health.
            grpc.Service = "";
        }
    }

    public static void Apply(V1Lifecycle? lifecycle)
    {
        Apply(lifecycle?.PostStart?.HttpGet);
        Apply(lifecycle?.PreStop?.HttpGet);
    }

    public static void Apply(V1HTTPGetAction? action)
    {
        if (action is null)
        {
            return;
        }

        if (string.IsNullOrEmpty(action.Path))
        {
            action.Path = "/";
        }

        if (string.IsNullOrEmpty(action.Scheme))
        {
            action.Scheme = "HTTP";
        }
    }
}
