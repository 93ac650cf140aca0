namespace Flotilla.ApiServer.Audit;

/// <summary>
/// The object a resource request targets (audit.k8s.io/v1 ObjectReference); name, namespace, uid and
/// resourceVersion are completed from the request body's metadata when the path does not name them (a create).
/// </summary>
public sealed class AuditObjectReference
{
    public string Resource { get; set; } = string.Empty;

    public string Namespace { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public string Uid { get; set; } = string.Empty;

    public string ApiGroup { get; set; } = string.Empty;

    public string ApiVersion { get; set; } = string.Empty;

    public string ResourceVersion { get; set; } = string.Empty;

    public string Subresource { get; set; } = string.Empty;
}
