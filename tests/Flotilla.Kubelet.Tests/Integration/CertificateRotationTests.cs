using System.Security.Cryptography.X509Certificates;
using Flotilla.Api.Certificates;
using Flotilla.Client;
using Flotilla.Kubelet.Bootstrap;
using Flotilla.Kubelet.Tests.Testing;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flotilla.Kubelet.Tests.Integration;

/// <summary>
/// A joined node renews its client certificate while it runs, as the kubelet's certificate manager does: past its
/// rotation point it asks, as itself, for a new one through a CertificateSigningRequest, keeps it on disk and puts it
/// in place of the old; a denied request is asked again.
/// </summary>
public sealed class CertificateRotationTests : NodeCluster
{
    [Fact]
    public async Task AClientCertificatePastItsRotationPoint_IsRenewedAsTheNode_KeptAndPutInPlace_ADenialAskedAgain()
    {
        // Backdated 5 minutes and ending in 30 s: past its rotation point (70 to 90 % of its life) already.
        using var initial = Issue(DateTimeOffset.UtcNow.AddSeconds(30));
        var identity = new RotatingCertificate(initial);
        using var client = ClusterClients.ForServers([Address], ClusterClients.ConfigForServer(Address, Pki.Ca, initial), identity);
        var files = new NodeCredentialFiles(Path.Combine(Path.GetTempPath(), "flotilla-rotation-" + Guid.NewGuid().ToString("N")[..8]));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var renewing = TlsBootstrap.RenewClientAsync(client, "n1", identity, files, TimeProvider.System, NullLogger.Instance, stop.Token);
        try
        {
            // The controller manager's part, done here: the first request denied, the second approved and signed.
            var first = await PendingAsync(null);
            Assert.Equal("system:node:n1", first.Spec.Username);
            Assert.Equal(CertificateRequests.KubeletClientSigner, first.Spec.SignerName);
            await DecideAsync(first, approve: false);
            var second = await PendingAsync(first.Metadata.Name);
            await DecideAsync(second, approve: true);

            await EventuallyAsync(() => Task.FromResult(identity.Current), c => c.Thumbprint != initial.Thumbprint);
            Assert.Equal("O=system:nodes, CN=system:node:n1", identity.Current.Subject);
            Assert.True(identity.Current.NotAfter > DateTime.UtcNow.AddDays(300));
            Assert.Equal(identity.Current.Thumbprint, files.Load(TlsBootstrap.ClientName, Pki.Ca, DateTimeOffset.UtcNow)?.Thumbprint);

            // The client goes on as the node; the next renewal is months away.
            var review = await client.AuthenticationV1.CreateSelfSubjectReviewAsync(new V1SelfSubjectReview());
            Assert.Equal("system:node:n1", review.Status.UserInfo.Username);
            Assert.True(TlsBootstrap.RotationPoint(identity.Current, 0) > DateTimeOffset.UtcNow.AddDays(250));
        }
        finally
        {
            await stop.CancelAsync();
            await renewing;
            Directory.Delete(files.Directory, recursive: true);
        }
    }

    /// <summary>A client certificate for n1 from the cluster CA, ending at <paramref name="notAfter"/>.</summary>
    private X509Certificate2 Issue(DateTimeOffset notAfter)
    {
        var (key, pem) = CertificateRequests.Create(CertificateRequests.NodeSubject("n1"), []);
        using (key)
        {
            using var signed = X509Certificate2.CreateFromPem(System.Text.Encoding.ASCII.GetString(
                CertificateRequests.Sign(CertificateRequests.Parse(pem).Request!, [CertificateRequests.DigitalSignature, CertificateRequests.ClientAuth], Pki.Ca, DateTimeOffset.UtcNow, notAfter)));
            return signed.CopyWithPrivateKey(key);
        }
    }

    /// <summary>The request made after <paramref name="after"/> (none: the first one).</summary>
    private async Task<V1CertificateSigningRequest> PendingAsync(string? after)
    {
        var list = await EventuallyAsync(() => Admin.CertificatesV1.ListCertificateSigningRequestAsync(), l => l.Items.Any(c => c.Metadata.Name != after && c.Status?.Conditions is null));
        return list.Items.Single(c => c.Metadata.Name != after && c.Status?.Conditions is null);
    }

    private async Task DecideAsync(V1CertificateSigningRequest csr, bool approve)
    {
        var now = DateTime.UtcNow;
        csr.Status ??= new V1CertificateSigningRequestStatus();
        csr.Status.Conditions = [new V1CertificateSigningRequestCondition { Type = approve ? CertificateRequests.Approved : CertificateRequests.Denied, Status = "True", Reason = "Test", LastUpdateTime = now }];
        csr = await Admin.CertificatesV1.ReplaceCertificateSigningRequestApprovalAsync(csr, csr.Metadata.Name);
        if (approve)
        {
            csr.Status.Certificate = CertificateRequests.Sign(CertificateRequests.Parse(csr.Spec.Request).Request!, csr.Spec.Usages, Pki.Ca, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(365));
            await Admin.CertificatesV1.ReplaceCertificateSigningRequestStatusAsync(csr, csr.Metadata.Name);
        }
    }
}
