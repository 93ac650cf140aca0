namespace Flotilla.ApiServer.Admission.PodSecurity;

/// <summary>The namespace labels that pick a policy and the audit annotation keys, as upstream names them.</summary>
public static class PodSecurityLabels
{
    public const string Prefix = "pod-security.kubernetes.io/";
    public const string Enforce = Prefix + "enforce";
    public const string EnforceVersion = Prefix + "enforce-version";
    public const string Audit = Prefix + "audit";
    public const string AuditVersion = Prefix + "audit-version";
    public const string Warn = Prefix + "warn";
    public const string WarnVersion = Prefix + "warn-version";

    /// <summary>The enforce policy a pod was checked against.</summary>
    public const string EnforcePolicyAnnotation = Prefix + "enforce-policy";

    /// <summary>What the audit policy found wrong (<c>would violate PodSecurity ...</c>).</summary>
    public const string AuditViolationsAnnotation = Prefix + "audit-violations";

    /// <summary>Why a request was not checked: <c>namespace</c>, <c>user</c> or <c>runtimeClass</c>.</summary>
    public const string ExemptAnnotation = Prefix + "exempt";

    /// <summary>Invalid labels or a failed lookup.</summary>
    public const string ErrorAnnotation = Prefix + "error";
}
