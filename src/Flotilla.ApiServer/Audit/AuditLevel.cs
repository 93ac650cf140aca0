namespace Flotilla.ApiServer.Audit;

/// <summary>How much of a request the audit log records (audit.k8s.io/v1 Level), in increasing order.</summary>
public enum AuditLevel
{
    /// <summary>Not logged.</summary>
    None,

    /// <summary>Who, what, when and the outcome; no bodies.</summary>
    Metadata,

    /// <summary>Metadata and the request body (resource requests only).</summary>
    Request,

    /// <summary>Request and the response body (resource requests only).</summary>
    RequestResponse,
}
