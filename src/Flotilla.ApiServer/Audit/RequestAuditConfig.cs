namespace Flotilla.ApiServer.Audit;

/// <summary>What the policy decided for one request: its level, the stages left out, and whether managed fields are.</summary>
public sealed record RequestAuditConfig(AuditLevel Level, IReadOnlySet<AuditStage> OmitStages, bool OmitManagedFields)
{
    public static readonly RequestAuditConfig None = new(AuditLevel.None, new HashSet<AuditStage>(), false);
}
