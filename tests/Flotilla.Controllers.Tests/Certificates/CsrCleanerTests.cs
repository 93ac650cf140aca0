using Flotilla.Controllers.Certificates;
using k8s.Models;

namespace Flotilla.Controllers.Tests.Certificates;

public sealed class CsrCleanerTests
{
    private static readonly DateTime Created = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(null, 23 * 60, null)]
    [InlineData(null, 25 * 60, "pending for more than a day")]
    [InlineData("Approved", 59, null)]
    [InlineData("Approved", 61, "approved more than an hour ago")]
    [InlineData("Denied", 61, "denied more than an hour ago")]
    [InlineData("Failed", 61, "failed more than an hour ago")]
    public void Reason_FollowsUpstreamsWindows(string? condition, int minutesLater, string? expected)
    {
        var csr = new V1CertificateSigningRequest
        {
            Metadata = new V1ObjectMeta { Name = "c", CreationTimestamp = Created },
            Status = condition is null ? null : new V1CertificateSigningRequestStatus { Conditions = [new() { Type = condition, Status = "True", LastUpdateTime = Created }] },
        };

        Assert.Equal(expected, CsrCleaner.Reason(csr, new DateTimeOffset(Created).AddMinutes(minutesLater)));
    }
}
