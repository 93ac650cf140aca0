namespace Flotilla.ApiServer.Audit;

/// <summary>When in a request's life an audit event is written (audit.k8s.io/v1 Stage).</summary>
public enum AuditStage
{
    /// <summary>As soon as the request is received, before it is handled.</summary>
    RequestReceived,

    /// <summary>When the response headers are sent; long-running requests (watch, logs, exec) only.</summary>
    ResponseStarted,

    /// <summary>When the response is complete.</summary>
    ResponseComplete,

    /// <summary>When handling the request failed with an unexpected exception.</summary>
    Panic,
}
