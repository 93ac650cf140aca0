using Flotilla.Api.Validation;

namespace Flotilla.ApiServer.Admission.PodSecurity;

/// <summary>The enforce, audit and warn levels of one namespace (upstream's api.Policy).</summary>
public sealed record NamespacePolicy(LevelVersion Enforce, LevelVersion Audit, LevelVersion Warn)
{
    public static NamespacePolicy Privileged { get; } = new(LevelVersion.PrivilegedLatest, LevelVersion.PrivilegedLatest, LevelVersion.PrivilegedLatest);

    public bool FullyPrivileged =>
        Enforce.Level == PodSecurityLevel.Privileged && Audit.Level == PodSecurityLevel.Privileged && Warn.Level == PodSecurityLevel.Privileged;

    public bool Equivalent(NamespacePolicy other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Enforce.Equivalent(other.Enforce) && Audit.Equivalent(other.Audit) && Warn.Equivalent(other.Warn);
    }

    /// <summary>
    /// The policy the labels ask for, <paramref name="defaults"/> where a label is absent (upstream's PolicyToEvaluate).
    /// A policy is always returned: an invalid enforce label counts as restricted/latest, an invalid audit or warn level
    /// as privileged (they fail open); the errors say which labels were invalid.
    /// </summary>
    public static NamespacePolicy FromLabels(IDictionary<string, string>? labels, NamespacePolicy defaults, out IReadOnlyList<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        var found = new List<FieldError>();
        errors = found;
        if (labels is null || labels.Count == 0)
        {
            return defaults;
        }

        var enforce = defaults.Enforce;
        var audit = defaults.Audit;
        var warn = defaults.Warn;
        if (labels.TryGetValue(PodSecurityLabels.Enforce, out var value))
        {
            enforce = enforce with { Level = Level(PodSecurityLabels.Enforce, value, found, failOpen: false) };
        }

        if (labels.TryGetValue(PodSecurityLabels.EnforceVersion, out value))
        {
            enforce = enforce with { Version = Version(PodSecurityLabels.EnforceVersion, value, found) };
        }

        if (labels.TryGetValue(PodSecurityLabels.Audit, out value))
        {
            audit = audit with { Level = Level(PodSecurityLabels.Audit, value, found, failOpen: true) };
        }

        if (labels.TryGetValue(PodSecurityLabels.AuditVersion, out value))
        {
            audit = audit with { Version = Version(PodSecurityLabels.AuditVersion, value, found) };
        }

        if (labels.TryGetValue(PodSecurityLabels.Warn, out value))
        {
            warn = warn with { Level = Level(PodSecurityLabels.Warn, value, found, failOpen: true) };
        }

        if (labels.TryGetValue(PodSecurityLabels.WarnVersion, out value))
        {
            warn = warn with { Version = Version(PodSecurityLabels.WarnVersion, value, found) };
        }

        return new NamespacePolicy(enforce, audit, warn);
    }

    private static PodSecurityLevel Level(string label, string value, List<FieldError> errors, bool failOpen)
    {
        var level = PodSecurityLevels.Parse(value, out var error);
        if (error is null)
        {
            return level;
        }

        errors.Add(FieldError.Invalid(LabelPath(label), value, error));
        return failOpen ? PodSecurityLevel.Privileged : level;
    }

    private static PolicyVersion Version(string label, string value, List<FieldError> errors)
    {
        var version = PolicyVersion.Parse(value, out var error);
        if (error is not null)
        {
            errors.Add(FieldError.Invalid(LabelPath(label), value, error));
        }

        return version;
    }

    private static string LabelPath(string label) => $"metadata.labels[{label}]";
}
