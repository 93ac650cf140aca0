using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class CertificateSigningRequestPrinterTests
{
    // Upstream's TestPrintCertificateSigningRequest cases.
    [Theory]
    [InlineData(null, false, null, "Pending", "<none>")]
    [InlineData("Approved", false, 600, "Approved", "10m")]
    [InlineData("Approved", true, null, "Approved,Issued", "<none>")]
    [InlineData("Denied", false, null, "Denied", "<none>")]
    [InlineData("Failed", false, 86400, "Pending,Failed", "24h")]
    public void Cells_Condition_AndRequestedDuration(string? condition, bool issued, int? seconds, string expected, string duration)
    {
        var csr = new V1CertificateSigningRequest
        {
            Metadata = new V1ObjectMeta { Name = "csr1", CreationTimestamp = Clock.Ago(days: 3651) },
            Spec = new V1CertificateSigningRequestSpec { SignerName = "example.com/test-signer", Username = "CSRRequestor", ExpirationSeconds = seconds },
            Status = new V1CertificateSigningRequestStatus
            {
                Conditions = condition is null ? null : [new V1CertificateSigningRequestCondition { Type = condition, Status = "True" }],
                Certificate = issued ? [1, 2, 3] : null,
            },
        };

        Assert.Equal(["csr1", "10y", "example.com/test-signer", "CSRRequestor", duration, expected], new CertificateSigningRequestPrinter().Cells(csr, Clock.Now));
    }
}
