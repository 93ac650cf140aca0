namespace Flotilla.ApiServer.Admission.PodSecurity;

/// <summary>A level at a version, written as upstream does in messages: <c>restricted:latest</c>, <c>baseline:v1.25</c>.</summary>
public readonly record struct LevelVersion(PodSecurityLevel Level, PolicyVersion Version)
{
    public static LevelVersion PrivilegedLatest { get; } = new(PodSecurityLevel.Privileged, PolicyVersion.Latest);

    /// <summary>Both privileged (whatever the version), or the same level and version.</summary>
    public bool Equivalent(LevelVersion other) =>
        (Level == PodSecurityLevel.Privileged && other.Level == PodSecurityLevel.Privileged) || this == other;

    public override string ToString() => $"{PodSecurityLevels.Name(Level)}:{Version}";
}
