namespace Flotilla.Kubelet.Probes;

public enum ProbeOutcome
{
    Unknown,
    Success,
    Failure,
}

public enum ProbeKind
{
    Liveness,
    Readiness,
    Startup,
}

/// <summary>One probe's outcome and what it said (the command's output, or why it failed), for the <c>Unhealthy</c> event.</summary>
public readonly record struct ProbeResult(ProbeOutcome Outcome, string Output)
{
    public static ProbeResult Success(string output = "") => new(ProbeOutcome.Success, output);

    public static ProbeResult Failure(string output) => new(ProbeOutcome.Failure, output);

    public static ProbeResult Unknown(string output) => new(ProbeOutcome.Unknown, output);
}
