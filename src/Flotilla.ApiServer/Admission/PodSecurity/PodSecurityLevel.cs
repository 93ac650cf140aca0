namespace Flotilla.ApiServer.Admission.PodSecurity;

/// <summary>The Pod Security Standards' levels, least strict first (so levels compare by strictness).</summary>
public enum PodSecurityLevel
{
    Privileged,
    Baseline,
    Restricted,
}
