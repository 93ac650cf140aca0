using Flotilla.Api;
using Flotilla.Api.Resources;
using Flotilla.Api.Validation;
using Flotilla.ApiServer.Auth;
using Flotilla.ApiServer.Registry.Validation.Certificates;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Certificates;

/// <summary>
/// CertificateSigningRequests (upstream's csrStrategy): the requester is recorded from the request, the spec never
/// changes after create, any name is accepted; <c>/status</c> sets the certificate and other conditions,
/// <c>/approval</c> the Approved and Denied conditions. Conditions get their timestamps on the way in.
/// </summary>
public sealed class CertificateSigningRequestStrategy : ObjectStrategy<V1CertificateSigningRequest>, IObjectStrategy, IStampsRequester
{
    private readonly TimeProvider _time;

    public CertificateSigningRequestStrategy(ResourceInfo resource, TimeProvider time)
        : base(resource)
    {
        _time = time;
        Status = new Subresource(this, CertificateSigningRequestValidation.UpdatePath.Status);
        Approval = new Subresource(this, CertificateSigningRequestValidation.UpdatePath.Approval);
    }

    IObjectStrategy? IObjectStrategy.StatusStrategy => Status;

    /// <summary>Updates through <c>/approval</c>.</summary>
    public IObjectStrategy Approval { get; }

    private IObjectStrategy Status { get; }

    public override IReadOnlyList<string> ValidateName(string name, bool prefix) => [];

    public void StampRequester(IKubernetesObject<V1ObjectMeta> obj, UserInfo user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var csr = (V1CertificateSigningRequest)obj;
        csr.Spec ??= new V1CertificateSigningRequestSpec();
        csr.Spec.Username = user.Name;
        csr.Spec.Uid = string.IsNullOrEmpty(user.Uid) ? null : user.Uid;
        csr.Spec.Groups = user.Groups.Count == 0 ? null : [.. user.Groups];
        csr.Spec.Extra = user.Extra is { Count: > 0 } extra ? extra.ToDictionary(e => e.Key, e => (IList<string>)[.. e.Value]) : null;
    }

    protected override void PrepareForUpdate(V1CertificateSigningRequest obj, V1CertificateSigningRequest old) => obj.Spec = old.Spec;

    /// <summary>Upstream populateConditionTimestamps: a new or changed condition is stamped now; an unchanged status keeps its transition time.</summary>
    private void StampConditions(V1CertificateSigningRequest csr, V1CertificateSigningRequest old)
    {
        var now = Timestamps.Now(_time);
        foreach (var c in csr.Status?.Conditions ?? [])
        {
            if (IsZero(c.LastUpdateTime))
            {
                c.LastUpdateTime = now;
            }

            if (IsZero(c.LastTransitionTime))
            {
                var was = old.Status?.Conditions?.FirstOrDefault(o => o.Type == c.Type);
                c.LastTransitionTime = was is not null && was.Status == c.Status && !IsZero(was.LastTransitionTime) ? was.LastTransitionTime : now;
            }
        }
    }

    private static bool IsZero(DateTime? t) => t is null || t.Value == DateTime.MinValue;

    /// <summary><c>/status</c> and <c>/approval</c>: the spec and metadata stay as stored; approval changes only the conditions.</summary>
    private sealed class Subresource(CertificateSigningRequestStrategy main, CertificateSigningRequestValidation.UpdatePath path) : IObjectStrategy
    {
        public ResourceInfo Resource => main.Resource;

        public bool TracksGeneration => false;

        public bool AllowCreateOnUpdate => false;

        public IObjectStrategy? StatusStrategy => null;

        public IKubernetesObject<V1ObjectMeta> Decode(ReadOnlySpan<byte> json) => main.Decode(json);

        public byte[] Encode(IKubernetesObject<V1ObjectMeta> obj) => main.Encode(obj);

        public void Default(IKubernetesObject<V1ObjectMeta> obj) => main.Default(obj);

        public void PrepareForCreate(IKubernetesObject<V1ObjectMeta> obj) => throw new InvalidOperationException("subresources never create");

        public void PrepareForUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
        {
            var (csr, was) = ((V1CertificateSigningRequest)obj, (V1CertificateSigningRequest)old);
            csr.Spec = was.Spec;
            csr.Metadata = ResetMetadata(csr.Metadata, was.Metadata);
            if (path == CertificateSigningRequestValidation.UpdatePath.Approval)
            {
                var conditions = csr.Status?.Conditions;
                csr.Status = new V1CertificateSigningRequestStatus { Certificate = was.Status?.Certificate, Conditions = conditions };
            }

            main.StampConditions(csr, was);
        }

        public IReadOnlyList<FieldError> Validate(IKubernetesObject<V1ObjectMeta> obj) => main.Validate(obj);

        public IReadOnlyList<FieldError> ValidateUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old) =>
        [
            .. MetadataValidation.ValidateUpdate(obj.Metadata, old.Metadata, Resource.Namespaced),
            .. CertificateSigningRequestValidation.ValidateUpdate((V1CertificateSigningRequest)obj, (V1CertificateSigningRequest)old, path),
        ];

        public IReadOnlyList<string> ValidateName(string name, bool prefix) => [];

        /// <summary>ResetObjectMetaForStatus: only the stored metadata counts, bar the resourceVersion the client sent.</summary>
        private static V1ObjectMeta ResetMetadata(V1ObjectMeta sent, V1ObjectMeta stored)
        {
            var meta = Api.Serialization.DeepCopy.Of(stored);
            meta.ResourceVersion = sent.ResourceVersion;
            return meta;
        }
    }
}
