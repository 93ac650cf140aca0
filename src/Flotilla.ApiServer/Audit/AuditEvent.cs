using Flotilla.ApiServer.Auth;

namespace Flotilla.ApiServer.Audit;

/// <summary>
/// One request's audit record (audit.k8s.io/v1 Event), filled in as the request goes through the server and
/// written once per stage. Request and response objects are JSON, kept only at the levels that log them.
/// </summary>
public sealed class AuditEvent
{
    private SortedDictionary<string, string>? _annotations;

    public required AuditLevel Level { get; init; }

    public required string AuditId { get; init; }

    public AuditStage Stage { get; set; }

    public required string RequestUri { get; init; }

    /// <summary>The Kubernetes verb, or the lower-case HTTP method of a non-resource request.</summary>
    public required string Verb { get; init; }

    /// <summary>The authenticated user (before impersonation); null when authentication failed.</summary>
    public UserInfo? User { get; init; }

    public UserInfo? ImpersonatedUser { get; set; }

    public IReadOnlyList<string> SourceIps { get; init; } = [];

    public string UserAgent { get; init; } = string.Empty;

    public AuditObjectReference? ObjectRef { get; set; }

    public AuditResponseStatus? ResponseStatus { get; set; }

    public ReadOnlyMemory<byte>? RequestObject { get; set; }

    public ReadOnlyMemory<byte>? ResponseObject { get; set; }

    public required DateTimeOffset RequestReceivedTimestamp { get; init; }

    public DateTimeOffset StageTimestamp { get; set; }

    /// <summary>Annotations by key, in key order (how Go writes a map); written at Metadata and above.</summary>
    public IReadOnlyDictionary<string, string>? Annotations => _annotations;

    /// <summary>Sets an annotation; as upstream, a key keeps its first value.</summary>
    public void Annotate(string key, string value)
    {
        _annotations ??= new SortedDictionary<string, string>(StringComparer.Ordinal);
        _annotations.TryAdd(key, value);
    }
}
