using k8s.Models;

namespace Flotilla.ApiServer.Admission.PodSecurity.Checks;

/// <summary>
/// The checks of each level at each policy version (upstream's checkRegistry). A version newer than the newest check
/// version, and <c>latest</c>, evaluate as that newest version. Restricted runs the baseline checks it does not
/// override, then its own; within each group checks run in ID order, so messages list violations as upstream does.
/// </summary>
public sealed class PodSecurityEvaluator
{
    private readonly CheckPod[][] _baseline;
    private readonly CheckPod[][] _restricted;

    public PodSecurityEvaluator(IReadOnlyList<Check> checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        MaxVersion = PolicyVersion.V1(checks.Max(c => c.Versions[^1].MinimumVersion.Minor));
        var baselineChecks = checks.Where(c => c.Level == PodSecurityLevel.Baseline).OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
        var restrictedChecks = checks.Where(c => c.Level == PodSecurityLevel.Restricted).OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
        _baseline = new CheckPod[MaxVersion.Minor + 1][];
        _restricted = new CheckPod[MaxVersion.Minor + 1][];
        for (var minor = 0; minor <= MaxVersion.Minor; minor++)
        {
            var baseline = baselineChecks.Select(c => (c.Id, Check: At(c, minor))).Where(c => c.Check is not null).ToList();
            var restricted = restrictedChecks.Select(c => At(c, minor)).OfType<VersionedCheck>().ToList();
            var overridden = restricted.SelectMany(c => c.Overrides ?? []).ToHashSet(StringComparer.Ordinal);
            _baseline[minor] = [.. baseline.Select(c => c.Check!.CheckPod)];
            _restricted[minor] = [.. baseline.Where(c => !overridden.Contains(c.Id)).Select(c => c.Check!.CheckPod), .. restricted.Select(c => c.CheckPod)];
        }
    }

    public static PodSecurityEvaluator Default { get; } = new(DefaultChecks.All);

    /// <summary>The newest version any check has; newer versions evaluate as it.</summary>
    public PolicyVersion MaxVersion { get; }

    public AggregateResult Evaluate(LevelVersion policy, V1ObjectMeta metadata, V1PodSpec spec)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(spec);
        if (policy.Level == PodSecurityLevel.Privileged)
        {
            return AggregateResult.From([]);
        }

        var minor = MaxVersion.Older(policy.Version) ? MaxVersion.Minor : policy.Version.Minor;
        var checks = policy.Level == PodSecurityLevel.Baseline ? _baseline[minor] : _restricted[minor];
        return AggregateResult.From(checks.Select(check => check(metadata, spec)));
    }

    // The implementation in force at a version: the newest one starting at or before it; none before the first.
    private static VersionedCheck? At(Check check, int minor) => check.Versions.LastOrDefault(v => v.MinimumVersion.Minor <= minor);
}
