using Flotilla.Api.Certificates;
using Flotilla.ApiServer.Auth;
using k8s.Models;

namespace Flotilla.ApiServer.Admission.Certificates;

/// <summary>Upstream's CertificateSubjectRestriction: no <c>system:masters</c> client certificate through the kube-apiserver-client signer.</summary>
public sealed class CertificateSubjectRestriction : IValidatingAdmission
{
    public string Name => "CertificateSubjectRestriction";

    public ValueTask ValidateAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Operation == AdmissionOperation.Create && request.Is(SignerAuthorization.Group, "certificatesigningrequests") &&
            request.Object is V1CertificateSigningRequest { Spec.SignerName: CertificateRequests.KubeApiServerClientSigner } csr &&
            CertificateRequests.Parse(csr.Spec.Request).Request is { } parsed && parsed.Organizations.Contains(Authorizer.MastersGroup))
        {
            throw request.Forbidden($"use of {CertificateRequests.KubeApiServerClientSigner} signer with {Authorizer.MastersGroup} group is not allowed");
        }

        return ValueTask.CompletedTask;
    }
}
