namespace Flotilla.Api.Errors;

/// <summary>metav1.StatusDetails: which object failed, and why field by field.</summary>
public sealed record StatusDetails(
    string? Name = null,
    string? Group = null,
    string? Kind = null,
    string? Uid = null,
    IReadOnlyList<StatusCause>? Causes = null,
    int? RetryAfterSeconds = null);
