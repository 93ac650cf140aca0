using System.Security.Cryptography.X509Certificates;
using System.Text;
using Flotilla.Api.Bootstrap;
using Flotilla.Api.Certificates;
using k8s;
using k8s.Models;

namespace Flotilla.Controllers.Tests.Integration;

/// <summary>csrapproving, csrsigning against a real HTTPS API server: kubelet requests approved and signed, others left or failed.</summary>
public sealed class CertificatesTests : Testing.ManagedCluster
{
    protected override ControllerManagerOptions Options => new() { ClusterSigningCa = Pki.Ca };

    [Fact]
    public async Task AJoinTokensClientRequest_IsApprovedAndSigned_ForTheNode()
    {
        using var bootstrap = ClientFor("system:bootstrap:abcdef", BootstrapToken.DefaultGroup, BootstrapToken.NodeTokenGroup);

        var csr = await CreateAsync(bootstrap, "join", CertificateRequests.KubeletClientSigner, CertificateRequests.NodeSubject("n1"), [], CertificateRequests.DigitalSignature, CertificateRequests.ClientAuth);

        var issued = await WaitIssuedAsync(csr);
        var approved = issued.Status.Conditions.Single(c => c.Type == "Approved");
        Assert.Equal(("True", "AutoApproved", "Auto approving kubelet client certificate after SubjectAccessReview."), (approved.Status, approved.Reason, approved.Message));
        using var cert = Certificate(issued);
        Assert.Equal("O=system:nodes, CN=system:node:n1", cert.Subject);
        Assert.Equal(Pki.Ca.Subject, cert.Issuer);
        Assert.Contains("1.3.6.1.5.5.7.3.2", cert.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value));
        Assert.InRange(cert.NotAfter - cert.NotBefore, TimeSpan.FromDays(365), TimeSpan.FromDays(365.01));
    }

    [Fact]
    public async Task ANodeRenewingItsOwn_IsApprovedAsSelf_ForTheShorterAskedDuration()
    {
        using var node = ClientFor("system:node:n2", CertificateRequests.NodesGroup);

        var csr = await CreateAsync(node, "renew", CertificateRequests.KubeletClientSigner, CertificateRequests.NodeSubject("n2"), [], expirationSeconds: 3600, CertificateRequests.DigitalSignature, CertificateRequests.ClientAuth);

        var issued = await WaitIssuedAsync(csr);
        Assert.Equal("Auto approving self kubelet client certificate after SubjectAccessReview.", issued.Status.Conditions.Single(c => c.Type == "Approved").Message);
        using var cert = Certificate(issued);
        Assert.Equal(TimeSpan.FromMinutes(65), cert.NotAfter - cert.NotBefore);
    }

    [Fact]
    public async Task ServingRequests_WaitForTheNodesAddresses_AndForeignNamesStayPending()
    {
        using var node = ClientFor("system:node:n3", CertificateRequests.NodesGroup);
        var own = await CreateAsync(node, "serve-own", CertificateRequests.KubeletServingSigner, CertificateRequests.NodeSubject("n3"), ["n3", "10.1.1.3"], CertificateRequests.DigitalSignature, CertificateRequests.ServerAuth);
        var foreign = await CreateAsync(node, "serve-foreign", CertificateRequests.KubeletServingSigner, CertificateRequests.NodeSubject("n3"), ["n3", "10.9.9.9"], CertificateRequests.DigitalSignature, CertificateRequests.ServerAuth);
        using var stranger = ClientFor("system:node:n4", CertificateRequests.NodesGroup);
        var notItself = await CreateAsync(stranger, "serve-other", CertificateRequests.KubeletServingSigner, CertificateRequests.NodeSubject("n3"), ["n3"], CertificateRequests.DigitalSignature, CertificateRequests.ServerAuth);

        await Task.Delay(500);
        Assert.Null((await Admin.CertificatesV1.ReadCertificateSigningRequestAsync(own)).Status?.Conditions);
        await Admin.CoreV1.CreateNodeAsync(new V1Node
        {
            Metadata = new V1ObjectMeta { Name = "n3" },
            Status = new V1NodeStatus { Addresses = [new V1NodeAddress { Type = "InternalIP", Address = "10.1.1.3" }, new V1NodeAddress { Type = "Hostname", Address = "n3" }] },
        });

        var issued = await WaitIssuedAsync(own);
        using var cert = Certificate(issued);
        var sans = cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["n3"], sans.EnumerateDnsNames());
        Assert.Equal("10.1.1.3", Assert.Single(sans.EnumerateIPAddresses()).ToString());
        Assert.Null((await Admin.CertificatesV1.ReadCertificateSigningRequestAsync(foreign)).Status?.Conditions);
        Assert.Null((await Admin.CertificatesV1.ReadCertificateSigningRequestAsync(notItself)).Status?.Conditions);
    }

    [Fact]
    public async Task AnApprovedRequestItsSignerRefuses_Fails_AndOthersSignersAreLeftAlone()
    {
        var bad = await CreateAsync(Admin, "bad-client", CertificateRequests.KubeletClientSigner, CertificateRequests.NodeSubject("n5"), ["n5"], CertificateRequests.DigitalSignature, CertificateRequests.ClientAuth);
        var other = await CreateAsync(Admin, "other-signer", "example.com/mine", new X500DistinguishedName("CN=x"), [], CertificateRequests.DigitalSignature, CertificateRequests.ClientAuth);
        await ApproveAsync(bad);
        await ApproveAsync(other);

        var failed = await EventuallyAsync(() => Admin.CertificatesV1.ReadCertificateSigningRequestAsync(bad), c => c.Status.Conditions.Any(x => x.Type == "Failed"));
        var condition = failed.Status.Conditions.Single(x => x.Type == "Failed");
        Assert.Equal(("SignerValidationFailure", "dnsNames are not allowed"), (condition.Reason, condition.Message));
        Assert.Null(failed.Status.Certificate);
        Assert.Null((await Admin.CertificatesV1.ReadCertificateSigningRequestAsync(other)).Status.Certificate);
    }

    private static async Task<string> CreateAsync(IKubernetes client, string name, string signer, X500DistinguishedName subject, string[] sans, params string[] usages) =>
        await CreateAsync(client, name, signer, subject, sans, null, usages);

    private static async Task<string> CreateAsync(IKubernetes client, string name, string signer, X500DistinguishedName subject, string[] sans, int? expirationSeconds, params string[] usages)
    {
        var (key, pem) = CertificateRequests.Create(subject, sans);
        key.Dispose();
        await client.CertificatesV1.CreateCertificateSigningRequestAsync(new V1CertificateSigningRequest
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1CertificateSigningRequestSpec { Request = pem, SignerName = signer, Usages = usages, ExpirationSeconds = expirationSeconds },
        });
        return name;
    }

    private async Task ApproveAsync(string name)
    {
        var csr = await Admin.CertificatesV1.ReadCertificateSigningRequestAsync(name);
        csr.Status ??= new V1CertificateSigningRequestStatus();
        csr.Status.Conditions = [new V1CertificateSigningRequestCondition { Type = "Approved", Status = "True", Reason = "ByTest" }];
        await Admin.CertificatesV1.ReplaceCertificateSigningRequestApprovalAsync(csr, name);
    }

    private Task<V1CertificateSigningRequest> WaitIssuedAsync(string name) =>
        EventuallyAsync(() => Admin.CertificatesV1.ReadCertificateSigningRequestAsync(name), c => c.Status?.Certificate is { Length: > 0 });

    private static X509Certificate2 Certificate(V1CertificateSigningRequest csr) => X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(csr.Status.Certificate));
}
