using Flotilla.Api.Resources;
using Flotilla.ApiServer.Auth;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Admission;

/// <summary>
/// One API request's admission: the chain, who asks, for which subresource, and where warnings go. The storage
/// calls it at upstream's two points of a write (mutate before the strategy, validate after it).
/// </summary>
public sealed class AdmissionContext(AdmissionChain chain, UserInfo user, string? subresource, Action<string> warn, IDictionary<string, string>? auditAnnotations = null)
{
    /// <summary>Who a request without authentication is (plain HTTP in tests; upstream's insecure-port user).</summary>
    public static readonly UserInfo Unsecured = new("system:unsecured", [Authorizer.MastersGroup, "system:authenticated"]);

    public UserInfo User { get; } = user;

    /// <summary>What plugins recorded for the request's audit event (pod-security.kubernetes.io/audit-violations, ...).</summary>
    public IDictionary<string, string> AuditAnnotations { get; } = auditAnnotations ?? new Dictionary<string, string>();

    public ValueTask MutateAsync(AdmissionOperation operation, ResourceInfo resource, IKubernetesObject<V1ObjectMeta>? obj, IKubernetesObject<V1ObjectMeta>? old, bool dryRun, CancellationToken cancellationToken) =>
        chain.MutateAsync(Request(operation, resource, obj, old, dryRun), cancellationToken);

    public ValueTask ValidateAsync(AdmissionOperation operation, ResourceInfo resource, IKubernetesObject<V1ObjectMeta>? obj, IKubernetesObject<V1ObjectMeta>? old, bool dryRun, CancellationToken cancellationToken) =>
        chain.ValidateAsync(Request(operation, resource, obj, old, dryRun), cancellationToken);

    private AdmissionRequest Request(AdmissionOperation operation, ResourceInfo resource, IKubernetesObject<V1ObjectMeta>? obj, IKubernetesObject<V1ObjectMeta>? old, bool dryRun)
    {
        var meta = (obj ?? old)?.Metadata;
        return new AdmissionRequest
        {
            Operation = operation,
            Resource = resource,
            Subresource = subresource ?? string.Empty,
            Namespace = resource.Namespaced ? meta?.NamespaceProperty ?? string.Empty : string.Empty,
            Name = meta?.Name ?? string.Empty,
            Object = obj,
            OldObject = old,
            User = User,
            DryRun = dryRun,
            WarningSink = warn,
            AuditAnnotations = AuditAnnotations,
        };
    }
}
