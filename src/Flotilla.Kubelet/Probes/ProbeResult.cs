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
/// <param name="Warning">A success with a reservation (upstream's probe.Warning), for a <c>ProbeWarning</c> event.</param>
public readonly record struct ProbeResult(ProbeOutcome Outcome, string Output, bool Warning = false)
{
    public static ProbeResult Success(string output = "") => new(ProbeOutcome.Success, output);

    public static ProbeResult Warned(string output) => new(ProbeOutcome.Success, output, Warning: true);

    public static ProbeResult Failure(string output) => new(ProbeOutcome.Failure, output);

    public static ProbeResult Unknown(string output) => new(ProbeOutcome.Unknown, output);
}
