using Flotilla.Api.Errors;

namespace Flotilla.ApiServer.Audit;

/// <summary>
/// The response's metav1.Status as an audit event carries it: the code always; status, message, reason and details
/// when the response was a Status (a failure).
/// </summary>
public sealed record AuditResponseStatus(int Code, string? Status = null, string? Message = null, string? Reason = null, StatusDetails? Details = null);
