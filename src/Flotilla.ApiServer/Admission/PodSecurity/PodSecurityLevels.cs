namespace Flotilla.ApiServer.Admission.PodSecurity;

/// <summary>Level names as they appear in namespace labels.</summary>
public static class PodSecurityLevels
{
    public static string Name(PodSecurityLevel level) => level switch
    {
        PodSecurityLevel.Privileged => "privileged",
        PodSecurityLevel.Baseline => "baseline",
        _ => "restricted",
    };

    /// <summary>Parses a level label value; an invalid one yields restricted and upstream's error text.</summary>
    public static PodSecurityLevel Parse(string value, out string? error)
    {
        error = null;
        switch (value)
        {
            case "privileged":
                return PodSecurityLevel.Privileged;
            case "baseline":
                return PodSecurityLevel.Baseline;
            case "restricted":
                return PodSecurityLevel.Restricted;
            default:
                error = "must be one of privileged, baseline, restricted";
                return PodSecurityLevel.Restricted;
        }
    }
}
