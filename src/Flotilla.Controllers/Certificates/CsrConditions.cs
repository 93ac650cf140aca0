using Flotilla.Api.Certificates;
using k8s.Models;

namespace Flotilla.Controllers.Certificates;

/// <summary>A request's state as the certificate controllers read it (upstream's GetCertApprovalCondition, HasTrueCondition).</summary>
public static class CsrConditions
{
    public static bool Has(V1CertificateSigningRequest csr, string type) =>
        csr.Status?.Conditions?.Any(c => c.Type == type && c.Status == "True") == true;

    public static bool IsIssued(V1CertificateSigningRequest csr) => csr.Status?.Certificate is { Length: > 0 };

    /// <summary>Approved or denied already.</summary>
    public static bool IsDecided(V1CertificateSigningRequest csr) => Has(csr, CertificateRequests.Approved) || Has(csr, CertificateRequests.Denied);

    public static V1CertificateSigningRequestCondition New(string type, string reason, string message, DateTime now) =>
        new() { Type = type, Status = "True", Reason = reason, Message = message, LastUpdateTime = now, LastTransitionTime = now };
}
