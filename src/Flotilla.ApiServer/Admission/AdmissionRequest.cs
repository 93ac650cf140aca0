using Flotilla.Api.Errors;
using Flotilla.Api.Resources;
using Flotilla.ApiServer.Auth;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Admission;

/// <summary>
/// One object on its way to the store, as admission plugins see it (upstream's admission.Attributes): the operation,
/// the resource and subresource, the new object (which mutating plugins may change) and the old one, and the user.
/// </summary>
public sealed class AdmissionRequest
{
    public required AdmissionOperation Operation { get; init; }

    public required ResourceInfo Resource { get; init; }

    /// <summary>Empty for the object itself; <c>status</c>, <c>binding</c>, <c>scale</c>, ... for a subresource.</summary>
    public string Subresource { get; init; } = string.Empty;

    /// <summary>Empty for cluster-scoped resources.</summary>
    public string Namespace { get; init; } = string.Empty;

    /// <summary>Empty on a create that generates the name.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>The object to store; null on delete.</summary>
    public IKubernetesObject<V1ObjectMeta>? Object { get; init; }

    /// <summary>The stored object; null on create.</summary>
    public IKubernetesObject<V1ObjectMeta>? OldObject { get; init; }

    public required UserInfo User { get; init; }

    public bool DryRun { get; init; }

    /// <summary>Where warnings for the client go (each becomes a <c>Warning: 299</c> header).</summary>
    public Action<string> WarningSink { get; init; } = _ => { };

    public void Warn(string message) => WarningSink(message);

    /// <summary>
    /// Annotations for the request's audit event (upstream's audit.AddAuditAnnotation), shared by every plugin that
    /// sees the request; the audit log reads them from <see cref="AdmissionContext.AuditAnnotations"/>.
    /// </summary>
    public IDictionary<string, string> AuditAnnotations { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether this is the resource itself (no subresource) of <paramref name="group"/>/<paramref name="plural"/>.</summary>
    public bool Is(string group, string plural) =>
        Subresource.Length == 0 && Resource.Group == group && Resource.Plural == plural;

    /// <summary>A denial as upstream's admission.NewForbidden writes it: 403, <c>pods "x" is forbidden: reason</c>.</summary>
    public StatusException Forbidden(string reason)
    {
        var name = Name.Length > 0 ? Name : Object?.Metadata?.Name ?? Object?.Metadata?.GenerateName ?? string.Empty;
        return StatusException.Forbidden(Resource.Group, Resource.Plural, name, reason);
    }
}
