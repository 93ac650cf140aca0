namespace Flotilla.ApiServer.Admission.PodSecurity.Checks;

/// <summary>
/// One control of the Pod Security Standards (upstream's policy.Check): its ID, the level it belongs to, and its
/// implementations by the policy version they start at (sorted, oldest first).
/// </summary>
public sealed record Check(string Id, PodSecurityLevel Level, IReadOnlyList<VersionedCheck> Versions);

/// <summary>
/// A check's implementation from <paramref name="MinimumVersion"/> on; a restricted check may replace (override)
/// baseline checks it is strictly stronger than, at the versions it applies to.
/// </summary>
public sealed record VersionedCheck(PolicyVersion MinimumVersion, CheckPod CheckPod, IReadOnlyList<string>? Overrides = null);
