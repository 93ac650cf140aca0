using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Flotilla.Api.Certificates;

/// <summary>
/// certificates.k8s.io's vocabulary (signer names, key usages, condition types) and the PKCS#10 requests a
/// CertificateSigningRequest carries: parsed, made (a kubelet's TLS bootstrap) and signed (the csrsigning controller).
/// </summary>
public static class CertificateRequests
{
    public const string KubeApiServerClientSigner = "kubernetes.io/kube-apiserver-client";
    public const string KubeletClientSigner = "kubernetes.io/kube-apiserver-client-kubelet";
    public const string KubeletServingSigner = "kubernetes.io/kubelet-serving";
    public const string LegacyUnknownSigner = "kubernetes.io/legacy-unknown";

    public const string Approved = "Approved";
    public const string Denied = "Denied";
    public const string Failed = "Failed";

    public const string DigitalSignature = "digital signature";
    public const string KeyEncipherment = "key encipherment";
    public const string ClientAuth = "client auth";
    public const string ServerAuth = "server auth";

    public const string NodeUserPrefix = "system:node:";
    public const string NodesGroup = "system:nodes";

    /// <summary>Every key usage the API accepts (upstream's allValidUsages), with its x509 meaning.</summary>
    public static readonly IReadOnlyDictionary<string, (X509KeyUsageFlags Key, string? Extended)> Usages = new Dictionary<string, (X509KeyUsageFlags, string?)>
    {
        ["signing"] = (X509KeyUsageFlags.DigitalSignature, null),
        [DigitalSignature] = (X509KeyUsageFlags.DigitalSignature, null),
        ["content commitment"] = (X509KeyUsageFlags.NonRepudiation, null),
        [KeyEncipherment] = (X509KeyUsageFlags.KeyEncipherment, null),
        ["key agreement"] = (X509KeyUsageFlags.KeyAgreement, null),
        ["data encipherment"] = (X509KeyUsageFlags.DataEncipherment, null),
        ["cert sign"] = (X509KeyUsageFlags.KeyCertSign, null),
        ["crl sign"] = (X509KeyUsageFlags.CrlSign, null),
        ["encipher only"] = (X509KeyUsageFlags.EncipherOnly, null),
        ["decipher only"] = (X509KeyUsageFlags.DecipherOnly, null),
        ["any"] = (X509KeyUsageFlags.None, "2.5.29.37.0"),
        [ServerAuth] = (X509KeyUsageFlags.None, "1.3.6.1.5.5.7.3.1"),
        [ClientAuth] = (X509KeyUsageFlags.None, "1.3.6.1.5.5.7.3.2"),
        ["code signing"] = (X509KeyUsageFlags.None, "1.3.6.1.5.5.7.3.3"),
        ["email protection"] = (X509KeyUsageFlags.None, "1.3.6.1.5.5.7.3.4"),
        ["s/mime"] = (X509KeyUsageFlags.None, "1.3.6.1.5.5.7.3.4"),
        ["ipsec end system"] = (X509KeyUsageFlags.None, "1.3.6.1.5.5.7.3.5"),
        ["ipsec tunnel"] = (X509KeyUsageFlags.None, "1.3.6.1.5.5.7.3.6"),
        ["ipsec user"] = (X509KeyUsageFlags.None, "1.3.6.1.5.5.7.3.7"),
        ["timestamping"] = (X509KeyUsageFlags.None, "1.3.6.1.5.5.7.3.8"),
        ["ocsp signing"] = (X509KeyUsageFlags.None, "1.3.6.1.5.5.7.3.9"),
        ["microsoft sgc"] = (X509KeyUsageFlags.None, "1.3.6.1.4.1.311.10.3.3"),
        ["netscape sgc"] = (X509KeyUsageFlags.None, "2.16.840.1.113730.4.1"),
    };

    /// <summary>A PEM request with its signature checked, or the reason it is not one (upstream's ParseCSR + CheckSignature).</summary>
    public static (ParsedRequest? Request, string? Error) Parse(byte[]? pem)
    {
        if (pem is null || pem.Length == 0)
        {
            return (null, "PEM block type must be CERTIFICATE REQUEST");
        }

        var text = Encoding.ASCII.GetString(pem);
        var begin = text.IndexOf("-----BEGIN ", StringComparison.Ordinal);
        if (begin < 0 || !text.AsSpan(begin).StartsWith("-----BEGIN CERTIFICATE REQUEST-----", StringComparison.Ordinal))
        {
            return (null, "PEM block type must be CERTIFICATE REQUEST");
        }

        try
        {
            var request = CertificateRequest.LoadSigningRequestPem(
                text, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
            return (new ParsedRequest(request), null);
        }
        catch (CryptographicException e)
        {
            return (null, $"x509: {e.Message}");
        }
    }

    /// <summary>A new P-256 key and its PEM request for <paramref name="subject"/> with these alternative names.</summary>
    public static (ECDsa Key, byte[] Pem) Create(X500DistinguishedName subject, IEnumerable<string> alternativeNames)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(alternativeNames);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var names = alternativeNames.ToList();
        if (names.Count > 0)
        {
            request.CertificateExtensions.Add(SubjectAlternativeNames.Build(names));
        }

        return (key, Encoding.ASCII.GetBytes(request.CreateSigningRequestPem()));
    }

    /// <summary>A node's subject: <c>O=system:nodes, CN=system:node:&lt;name&gt;</c>.</summary>
    public static X500DistinguishedName NodeSubject(string nodeName)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddOrganizationName(NodesGroup);
        subject.AddCommonName(NodeUserPrefix + nodeName);
        return subject.Build();
    }

    /// <summary>
    /// Signs <paramref name="request"/> with <paramref name="ca"/> (which holds its key) for the CSR's usages, valid from
    /// 5 minutes ago (clock skew, as upstream backdates) until <paramref name="notAfter"/> or the CA's own end.
    /// </summary>
    public static byte[] Sign(ParsedRequest request, IEnumerable<string> usages, X509Certificate2 ca, DateTimeOffset now, DateTimeOffset notAfter)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(ca);
        var template = new CertificateRequest(request.Request.SubjectName, request.Request.PublicKey, HashAlgorithmName.SHA256);
        template.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        var keyUsage = X509KeyUsageFlags.None;
        var extended = new OidCollection();
        foreach (var usage in usages.Distinct(StringComparer.Ordinal))
        {
            if (Usages.TryGetValue(usage, out var meaning))
            {
                keyUsage |= meaning.Key;
                if (meaning.Extended is { } oid && !extended.Cast<Oid>().Any(o => o.Value == oid))
                {
                    extended.Add(new Oid(oid));
                }
            }
        }

        if (keyUsage != X509KeyUsageFlags.None)
        {
            template.CertificateExtensions.Add(new X509KeyUsageExtension(keyUsage, true));
        }

        if (extended.Count > 0)
        {
            template.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(extended, false));
        }

        if (request.AlternativeNames is { } sans)
        {
            template.CertificateExtensions.Add(sans);
        }

        template.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var end = notAfter < ca.NotAfter.ToUniversalTime() ? notAfter : new DateTimeOffset(ca.NotAfter.ToUniversalTime());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        // The CA's key signs: ECDSA (Flotilla's own CA) or RSA with PKCS#1 v1.5 padding (a CA given to a standalone
        // controller manager), as Go's x509 signs with either.
        using var rsa = ca.GetRSAPrivateKey();
        using var ecdsa = rsa is null ? ca.GetECDsaPrivateKey() ?? throw new ArgumentException("the CA has no RSA or ECDSA private key", nameof(ca)) : null;
        var generator = rsa is not null ? X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1) : X509SignatureGenerator.CreateForECDsa(ecdsa!);
        using var signed = template.Create(ca.SubjectName, generator, now.AddMinutes(-5), end, serial);
        return Encoding.ASCII.GetBytes(signed.ExportCertificatePem() + "\n");
    }
}

/// <summary>A PKCS#10 request read from a CSR: subject and alternative names, as signers and approvers check them.</summary>
public sealed class ParsedRequest(CertificateRequest request)
{
    public CertificateRequest Request { get; } = request;

    public string CommonName =>
        Request.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(rdn => rdn.GetSingleElementType().Value == "2.5.4.3")
            .Select(rdn => rdn.GetSingleElementValue() ?? string.Empty)
            .FirstOrDefault() ?? string.Empty;

    public IReadOnlyList<string> Organizations =>
        [.. Request.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(rdn => rdn.GetSingleElementType().Value == "2.5.4.10")
            .Select(rdn => rdn.GetSingleElementValue() ?? string.Empty)];

    public X509SubjectAlternativeNameExtension? AlternativeNames =>
        Request.CertificateExtensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault()
        ?? Request.CertificateExtensions.Where(e => e.Oid?.Value == "2.5.29.17").Select(e => new X509SubjectAlternativeNameExtension(e.RawData, e.Critical)).FirstOrDefault();

    public IReadOnlyList<string> DnsNames => AlternativeNames is { } sans ? [.. sans.EnumerateDnsNames()] : [];

    public IReadOnlyList<IPAddress> IpAddresses => AlternativeNames is { } sans ? [.. sans.EnumerateIPAddresses()] : [];

    /// <summary>Whether the request names e-mail addresses or URIs (which no Kubernetes node certificate carries).</summary>
    public bool HasOtherNames
    {
        get
        {
            if (AlternativeNames is not { } sans)
            {
                return false;
            }

            // Re-read the GeneralNames: rfc822Name is [1], URI is [6]. Names that do not parse count as others too.
            try
            {
                var reader = new System.Formats.Asn1.AsnReader(sans.RawData, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence();
                while (reader.HasData)
                {
                    var tag = reader.PeekTag();
                    if (tag.TagClass == System.Formats.Asn1.TagClass.ContextSpecific && tag.TagValue is 1 or 6)
                    {
                        return true;
                    }

                    reader.ReadEncodedValue();
                }

                return false;
            }
            catch (System.Formats.Asn1.AsnContentException)
            {
                return true;
            }
        }
    }
}
