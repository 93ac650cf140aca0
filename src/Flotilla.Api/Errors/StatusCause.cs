namespace Flotilla.Api.Errors;

/// <summary>metav1.StatusCause.</summary>
public sealed record StatusCause(string? Reason, string? Message, string? Field);
