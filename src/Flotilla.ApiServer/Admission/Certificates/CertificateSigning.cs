using Flotilla.ApiServer.Auth;
using k8s.Models;

namespace Flotilla.ApiServer.Admission.Certificates;

/// <summary>Upstream's CertificateSigning: changing the certificate or the conditions through <c>/status</c> needs <c>sign</c> on the request's signer.</summary>
public sealed class CertificateSigning(Authorizer authorizer) : IValidatingAdmission
{
    public string Name => "CertificateSigning";

    public ValueTask ValidateAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Operation == AdmissionOperation.Update && request.Subresource == "status" &&
            request.Object is V1CertificateSigningRequest csr && request.OldObject is V1CertificateSigningRequest old &&
            (!(csr.Status?.Certificate ?? []).AsSpan().SequenceEqual(old.Status?.Certificate ?? []) ||
             !Registry.Validation.ModelJson.SemanticEqual(csr.Status?.Conditions, old.Status?.Conditions)))
        {
            var signer = csr.Spec?.SignerName ?? string.Empty;
            if (!SignerAuthorization.Allows(authorizer, request.User, "sign", signer))
            {
                throw request.Forbidden($"user not permitted to sign requests with signerName \"{signer}\"");
            }
        }

        return ValueTask.CompletedTask;
    }
}
