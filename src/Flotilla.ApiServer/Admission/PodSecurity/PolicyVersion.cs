using System.Globalization;
using System.Text.RegularExpressions;

namespace Flotilla.ApiServer.Admission.PodSecurity;

/// <summary>
/// A Pod Security Standards version: <c>latest</c> or <c>v1.N</c> (upstream's api.Version; there is only major 1).
/// </summary>
public readonly partial record struct PolicyVersion(int Minor, bool IsLatest)
{
    public static PolicyVersion Latest { get; } = new(0, true);

    public static PolicyVersion V1(int minor) => new(minor, false);

    /// <summary>Whether this version is older than <paramref name="other"/>; latest is newer than every version.</summary>
    public bool Older(PolicyVersion other) => !IsLatest && (other.IsLatest || Minor < other.Minor);

    /// <summary>Parses a version label value; an invalid one yields latest and upstream's error text.</summary>
    public static PolicyVersion Parse(string value, out string? error)
    {
        ArgumentNullException.ThrowIfNull(value);
        error = null;
        if (value == "latest")
        {
            return Latest;
        }

        var match = VersionPattern().Match(value);
        if (!match.Success || !int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            error = "must be \"latest\" or \"v1.x\"";
            return Latest;
        }

        return V1(minor);
    }

    public override string ToString() => IsLatest ? "latest" : string.Create(CultureInfo.InvariantCulture, $"v1.{Minor}");

    [GeneratedRegex(@"^v1\.([0-9]|[1-9][0-9]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}
