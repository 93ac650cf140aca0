using Flotilla.ApiServer.Auth;
using k8s.Models;

namespace Flotilla.ApiServer.Admission.Certificates;

/// <summary>Upstream's CertificateApproval: approving or denying through <c>/approval</c> needs <c>approve</c> on the request's signer.</summary>
public sealed class CertificateApproval(Authorizer authorizer) : IValidatingAdmission
{
    public string Name => "CertificateApproval";

    public ValueTask ValidateAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Operation == AdmissionOperation.Update && request.Subresource == "approval" &&
            request.Resource.Group == SignerAuthorization.Group && request.Object is V1CertificateSigningRequest csr)
        {
            var signer = csr.Spec?.SignerName ?? string.Empty;
            if (!SignerAuthorization.Allows(authorizer, request.User, "approve", signer))
            {
                throw request.Forbidden($"user not permitted to approve requests with signerName \"{signer}\"");
            }
        }

        return ValueTask.CompletedTask;
    }
}
