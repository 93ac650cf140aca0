namespace Flotilla.ApiServer.Admission.PodSecurity.Checks;

/// <summary>
/// One check's verdict on a pod: allowed, or a succinct reason (<c>host namespaces</c>) with an optional detail
/// (<c>hostNetwork=true</c>) that upstream prints in parentheses after it.
/// </summary>
public readonly record struct CheckResult(bool Allowed, string Reason, string Detail)
{
    public static CheckResult Allow { get; } = new(true, string.Empty, string.Empty);

    public static CheckResult Forbid(string reason, string detail) => new(false, reason, detail);
}
