using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Flotilla.Api.Certificates;

namespace Flotilla.Api.Tests.Certificates;

public sealed class CertificateRequestsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ANodeRequest_ParsesBack_WithItsSubjectAndNames()
    {
        var (key, pem) = CertificateRequests.Create(CertificateRequests.NodeSubject("n1"), ["n1", "10.0.0.5"]);
        using (key)
        {
            var (parsed, error) = CertificateRequests.Parse(pem);

            Assert.Null(error);
            Assert.Equal("system:node:n1", parsed!.CommonName);
            Assert.Equal(["system:nodes"], parsed.Organizations);
            Assert.Equal(["n1"], parsed.DnsNames);
            Assert.Equal([IPAddress.Parse("10.0.0.5")], parsed.IpAddresses);
            Assert.False(parsed.HasOtherNames);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("not pem at all")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")]
    public void NotARequest_IsRefused_AsUpstreamWordsIt(string text)
    {
        var (parsed, error) = CertificateRequests.Parse(Encoding.ASCII.GetBytes(text));

        Assert.Null(parsed);
        Assert.Equal("PEM block type must be CERTIFICATE REQUEST", error);
    }

    [Fact]
    public void ARequestWithABrokenSignature_IsRefused()
    {
        var (key, pem) = CertificateRequests.Create(CertificateRequests.NodeSubject("n1"), []);
        key.Dispose();
        var text = Encoding.ASCII.GetString(pem);
        var body = text.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)).Aggregate(string.Empty, string.Concat);
        var der = Convert.FromBase64String(body);
        der[^3] ^= 0x55;
        var tampered = $"-----BEGIN CERTIFICATE REQUEST-----\n{Convert.ToBase64String(der, Base64FormattingOptions.InsertLineBreaks)}\n-----END CERTIFICATE REQUEST-----\n";

        var (parsed, error) = CertificateRequests.Parse(Encoding.ASCII.GetBytes(tampered));

        Assert.Null(parsed);
        Assert.StartsWith("x509: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_IssuesForTheUsagesAndNames_ChainingToTheCa_BackdatedFiveMinutes()
    {
        using var ca = Ca(Now.AddYears(10));
        var (key, pem) = CertificateRequests.Create(CertificateRequests.NodeSubject("n1"), ["n1", "10.0.0.5"]);
        using (key)
        {
            var issued = CertificateRequests.Sign(CertificateRequests.Parse(pem).Request!, [CertificateRequests.DigitalSignature, CertificateRequests.ServerAuth], ca, Now, Now.AddDays(30));

            using var cert = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(issued));
            Assert.Equal("O=system:nodes, CN=system:node:n1", cert.Subject);
            Assert.Equal(ca.Subject, cert.Issuer);
            Assert.Equal(Now.AddMinutes(-5).UtcDateTime, cert.NotBefore.ToUniversalTime());
            Assert.Equal(Now.AddDays(30).UtcDateTime, cert.NotAfter.ToUniversalTime());
            Assert.Equal(X509KeyUsageFlags.DigitalSignature, cert.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
            Assert.Equal(["1.3.6.1.5.5.7.3.1"], cert.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
            var sans = cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
            Assert.Equal(["n1"], sans.EnumerateDnsNames());
            Assert.Equal([IPAddress.Parse("10.0.0.5")], sans.EnumerateIPAddresses());
            Assert.False(cert.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationTime = Now.UtcDateTime;
            Assert.True(chain.Build(cert));
        }
    }

    [Fact]
    public void Sign_NeverOutlivesTheCa()
    {
        using var ca = Ca(Now.AddDays(10));
        var (key, pem) = CertificateRequests.Create(CertificateRequests.NodeSubject("n1"), []);
        using (key)
        {
            var issued = CertificateRequests.Sign(CertificateRequests.Parse(pem).Request!, [CertificateRequests.ClientAuth], ca, Now, Now.AddDays(365));

            using var cert = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(issued));
            Assert.Equal(ca.NotAfter, cert.NotAfter);
        }
    }

    [Fact]
    public void Sign_WithAnRsaCa_GivesACertificateThatChainsToIt()
    {
        using var rsa = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=rsa-ca", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(Now.AddDays(-1), Now.AddDays(100));
        var (key, pem) = CertificateRequests.Create(CertificateRequests.NodeSubject("n1"), []);
        using (key)
        {
            using var cert = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(
                CertificateRequests.Sign(CertificateRequests.Parse(pem).Request!, [CertificateRequests.ClientAuth], ca, Now, Now.AddDays(30))));

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationTime = Now.UtcDateTime;
            Assert.True(chain.Build(cert), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
            Assert.Equal("CN=rsa-ca", cert.Issuer);
        }
    }

    private static X509Certificate2 Ca(DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=test-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(Now.AddDays(-1), notAfter);
    }
}
