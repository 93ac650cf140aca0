namespace Flotilla.ApiServer.Audit;

/// <summary>
/// What the audit log records (audit.k8s.io/v1 Policy): the first rule a request matches sets its level; a request
/// no rule matches is not logged.
/// </summary>
public sealed record AuditPolicy
{
    public required IReadOnlyList<AuditPolicyRule> Rules { get; init; }

    /// <summary>Stages never logged, in addition to each rule's own.</summary>
    public IReadOnlyList<AuditStage> OmitStages { get; init; } = [];

    /// <summary>Whether <c>metadata.managedFields</c> is left out of logged request and response bodies.</summary>
    public bool OmitManagedFields { get; init; }
}
