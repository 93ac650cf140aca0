using Flotilla.Api.Resources;
using Flotilla.Api.Validation;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Registry;

/// <summary>
/// How one kind is created and updated, as Kubernetes' registry strategies: decode → default → prepare → validate →
/// canonicalize. Pure: no I/O. The generic REST handler (<see cref="ResourceStorage"/>) drives it.
/// </summary>
public interface IObjectStrategy
{
    ResourceInfo Resource { get; }

    /// <summary>Whether <c>metadata.generation</c> is set at create and bumped when the spec changes.</summary>
    bool TracksGeneration { get; }

    /// <summary>Whether PUT may create a missing object (upstream: endpoints, leases, ...).</summary>
    bool AllowCreateOnUpdate { get; }

    /// <summary>Decodes JSON into the kind's model; malformed input is a 400 StatusException.</summary>
    IKubernetesObject<V1ObjectMeta> Decode(ReadOnlySpan<byte> json);

    /// <summary>Encodes with apiVersion and kind set.</summary>
    byte[] Encode(IKubernetesObject<V1ObjectMeta> obj);

    /// <summary>Upstream's defaulting (SetDefaults_*), applied to every object decoded from a request.</summary>
    void Default(IKubernetesObject<V1ObjectMeta> obj);

    void PrepareForCreate(IKubernetesObject<V1ObjectMeta> obj);

    void PrepareForUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old);

    IReadOnlyList<FieldError> Validate(IKubernetesObject<V1ObjectMeta> obj);

    IReadOnlyList<FieldError> ValidateUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old);

    /// <summary>Validates the object's name (DNS-1123 subdomain for most kinds), returning upstream's messages.</summary>
    IReadOnlyList<string> ValidateName(string name, bool prefix);

    /// <summary>The status subresource's strategy, or null when the kind has none.</summary>
    IObjectStrategy? StatusStrategy { get; }
}
