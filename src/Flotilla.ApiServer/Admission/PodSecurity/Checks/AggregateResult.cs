namespace Flotilla.ApiServer.Admission.PodSecurity.Checks;

/// <summary>The forbidden results of every check run on one pod (upstream's AggregateCheckResult).</summary>
public sealed class AggregateResult
{
    private const string UnknownReason = "unknown forbidden reason";

    private AggregateResult(IReadOnlyList<string> reasons, IReadOnlyList<string> details)
    {
        Reasons = reasons;
        Details = details;
    }

    public bool Allowed => Reasons.Count == 0;

    public IReadOnlyList<string> Reasons { get; }

    public IReadOnlyList<string> Details { get; }

    public static AggregateResult From(IEnumerable<CheckResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var reasons = new List<string>();
        var details = new List<string>();
        foreach (var result in results.Where(r => !r.Allowed))
        {
            reasons.Add(result.Reason.Length == 0 ? UnknownReason : result.Reason);
            details.Add(result.Detail);
        }

        return new AggregateResult(reasons, details);
    }

    /// <summary>The reasons alone: <c>host namespaces, privileged</c> (what a namespace-wide check prints per pod).</summary>
    public string ForbiddenReason() => string.Join(", ", Reasons);

    /// <summary>Each reason with its detail in parentheses: <c>host namespaces (hostNetwork=true), privileged (...)</c>.</summary>
    public string ForbiddenDetail() =>
        string.Join(", ", Reasons.Select((reason, i) => Details[i].Length == 0 ? reason : $"{reason} ({Details[i]})"));
}
