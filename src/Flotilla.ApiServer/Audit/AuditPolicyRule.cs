namespace Flotilla.ApiServer.Audit;

/// <summary>
/// One rule of an audit policy (audit.k8s.io/v1 PolicyRule): a request matches when it matches every field that is
/// set; an empty list matches everything.
/// </summary>
public sealed record AuditPolicyRule
{
    public required AuditLevel Level { get; init; }

    public IReadOnlyList<string> Users { get; init; } = [];

    public IReadOnlyList<string> UserGroups { get; init; } = [];

    public IReadOnlyList<string> Verbs { get; init; } = [];

    public IReadOnlyList<AuditGroupResources> Resources { get; init; } = [];

    /// <summary>The empty string matches cluster-scoped resources.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>Paths such as <c>/metrics</c>, <c>/healthz*</c> (a <c>*</c> only at the end) or <c>*</c>.</summary>
    public IReadOnlyList<string> NonResourceUrls { get; init; } = [];

    public IReadOnlyList<AuditStage> OmitStages { get; init; } = [];

    /// <summary>Overrides the policy's <see cref="AuditPolicy.OmitManagedFields"/> when set.</summary>
    public bool? OmitManagedFields { get; init; }
}
