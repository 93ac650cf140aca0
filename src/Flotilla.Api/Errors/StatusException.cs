using Flotilla.Api.Validation;

namespace Flotilla.Api.Errors;

/// <summary>
/// A failed request as kube-apiserver reports it: a <c>Status</c> with code, reason, message and details. Factories
/// produce upstream's exact messages (k8s.io/apimachinery/pkg/api/errors), which kubectl prints verbatim.
/// </summary>
public sealed class StatusException : Exception
{
    public StatusException(int code, string reason, string message, StatusDetails? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    public int Code { get; }

    /// <summary>metav1.StatusReason: <c>NotFound</c>, <c>AlreadyExists</c>, <c>Invalid</c>, ... (empty for a plain 500).</summary>
    public string Reason { get; }

    public StatusDetails? Details { get; }

    /// <summary>The resource as upstream names it in messages: <c>pods</c>, <c>deployments.apps</c>.</summary>
    public static string Qualified(string group, string plural) => group.Length == 0 ? plural : $"{plural}.{group}";

    public static StatusException NotFound(string group, string plural, string name) =>
        new(404, "NotFound", $"{Qualified(group, plural)} \"{name}\" not found", new StatusDetails(name, NullIfEmpty(group), plural));

    public static StatusException AlreadyExists(string group, string plural, string name) =>
        new(409, "AlreadyExists", $"{Qualified(group, plural)} \"{name}\" already exists", new StatusDetails(name, NullIfEmpty(group), plural));

    public static StatusException Conflict(string group, string plural, string name, string detail) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {Qualified(group, plural)} \"{name}\": {detail}", new StatusDetails(name, NullIfEmpty(group), plural));

    public static StatusException StaleObject(string group, string plural, string name) =>
        Conflict(group, plural, name, "the object has been modified; please apply your changes to the latest version and try again");

    /// <summary>422: <c>Pod "x" is invalid: [a: Required value, b: Invalid value: ...]</c> (no brackets for one error).</summary>
    public static StatusException Invalid(string group, string kind, string name, IReadOnlyList<FieldError> errors)
    {
        var list = ErrorAggregate.Message(errors);
        var causes = errors.Select(e => new StatusCause(e.Reason, e.Message, e.Field)).ToList();
        var qualifiedKind = group.Length == 0 ? kind : $"{kind}.{group}";
        return new(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: {list}", new StatusDetails(name, NullIfEmpty(group), kind, Causes: causes));
    }

    public static StatusException BadRequest(string message) => new(400, "BadRequest", message);

    public static StatusException Forbidden(string group, string plural, string name, string detail, StatusCause? cause = null) =>
        new(403, "Forbidden", $"{Qualified(group, plural)} \"{name}\" is forbidden: {detail}",
            new StatusDetails(name, NullIfEmpty(group), plural, Causes: cause is null ? null : [cause]));

    public static StatusException MethodNotSupported(string group, string plural, string verb) =>
        new(405, "MethodNotAllowed", $"{verb} is not supported on resources of kind \"{Qualified(group, plural)}\"", new StatusDetails(Group: NullIfEmpty(group), Kind: plural));

    /// <summary>410 for a watch or list at a compacted resourceVersion.</summary>
    public static StatusException Expired(string message) => new(410, "Expired", message);

    public static StatusException Gone(string message) => new(410, "Gone", message);

    public static StatusException TooLarge(string message) => new(413, "RequestEntityTooLarge", message);

    public static StatusException UnsupportedMediaType(string contentType) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf; got {contentType}");

    public static StatusException NotAcceptable(string accept) =>
        new(406, "NotAcceptable", $"only the following media types are accepted: application/json, application/yaml, application/json;as=Table;v=v1;g=meta.k8s.io; got {accept}");

    public static StatusException Timeout(string message, int retryAfterSeconds) =>
        new(504, "Timeout", message, new StatusDetails(RetryAfterSeconds: retryAfterSeconds));

    /// <summary>
    /// A read at a resourceVersion the store has not reached (upstream's NewTooLargeResourceVersionError): clients
    /// such as client-go's reflector list again at the current one when they see the cause.
    /// </summary>
    public static StatusException TooLargeResourceVersion(long requested, long current) =>
        new(504, "Timeout", $"Timeout: Too large resource version: {requested}, current: {current}",
            new StatusDetails(Causes: [new StatusCause("ResourceVersionTooLarge", "Too large resource version", null)], RetryAfterSeconds: 1));

    public static StatusException TooManyRequests(string message, int retryAfterSeconds) =>
        new(429, "TooManyRequests", message, new StatusDetails(RetryAfterSeconds: retryAfterSeconds));

    public static StatusException ServiceUnavailable(string message, int? retryAfterSeconds = null) =>
        new(503, "ServiceUnavailable", message, retryAfterSeconds is null ? null : new StatusDetails(RetryAfterSeconds: retryAfterSeconds));

    public static StatusException Internal(string message) => new(500, "InternalError", $"Internal error occurred: {message}");

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
