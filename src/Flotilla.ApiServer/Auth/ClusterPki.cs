using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Flotilla.ApiServer.Auth;

/// <summary>
/// The cluster's certificates under <c>&lt;data-dir&gt;/tls/</c>, made at first start: an ECDSA P-256 CA (10 years),
/// the API server's serving certificate and client certificates for the admin and the control-plane components
/// (1 year, renewed when under 30 days remain); node certificates are issued per node. Keys are written 0600.
/// Certificates are PEM, as Kubernetes tools expect.
/// </summary>
public sealed class ClusterPki
{
    private static readonly TimeSpan CaLifetime = TimeSpan.FromDays(3650);
    private static readonly TimeSpan LeafLifetime = TimeSpan.FromDays(365);
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    /// <summary>The components' identities, as upstream's default RBAC bindings name them (file name → user).</summary>
    public static readonly IReadOnlyDictionary<string, string> Components = new Dictionary<string, string>
    {
        ["controller-manager"] = "system:kube-controller-manager",
        ["scheduler"] = "system:kube-scheduler",
        ["kube-proxy"] = "system:kube-proxy",

        // Who the API server is to kubelets (kubeadm's apiserver-kubelet-client), bound to system:kubelet-api-admin.
        ["apiserver-kubelet-client"] = KubeletClientUser,

        // The cluster DNS and the ingress controller, which run in the server (CoreDNS' and Traefik's service accounts in k3s).
        ["cluster-dns"] = ClusterDnsUser,
        ["ingress"] = IngressUser,
    };

    public const string KubeletClientUser = "kube-apiserver-kubelet-client";

    public const string ClusterDnsUser = "system:cluster-dns";

    public const string IngressUser = "system:flotilla-ingress";

    private ClusterPki(string directory, X509Certificate2 ca, X509Certificate2 server, X509Certificate2 admin)
    {
        Directory = directory;
        Ca = ca;
        Server = server;
        Admin = admin;
    }

    public string Directory { get; }

    /// <summary>The CA, with its private key (it signs the other certificates).</summary>
    public X509Certificate2 Ca { get; }

    public X509Certificate2 Server { get; }

    public X509Certificate2 Admin { get; }

    /// <summary>
    /// Loads the certificates from <paramref name="directory"/>, making or renewing what is missing or near expiry
    /// (servers sharing it hold <see cref="TlsDirectoryLock"/> meanwhile). A serving certificate made again keeps the
    /// names the one on disk had, so servers that see different addresses do not take turns replacing it.
    /// </summary>
    public static ClusterPki LoadOrCreate(string directory, IEnumerable<string> extraSans, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        System.IO.Directory.CreateDirectory(directory);
        var now = time.GetUtcNow();
        var ca = LoadValid(directory, "ca", now) ?? Save(directory, "ca", CreateCa(now));
        var sans = extraSans.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var loaded = LoadValid(directory, "server", now, ca);
        var server = loaded is not null && Covers(loaded, sans) ? loaded : Save(directory, "server", CreateServer(ca, [.. sans, .. NamesOnDisk(directory, "server")], now));
        var admin = LoadValid(directory, "admin", now, ca) ?? Save(directory, "admin", CreateClient(ca, "admin", ["system:masters"], now));
        foreach (var (file, user) in Components)
        {
            (LoadValid(directory, file, now, ca) ?? Save(directory, file, CreateClient(ca, user, [], now))).Dispose();
        }

        return new ClusterPki(directory, ca, server, admin);
    }

    /// <summary>The DNS names and IP addresses the certificate on disk names, valid or not (none when there is none).</summary>
    private static IEnumerable<string> NamesOnDisk(string directory, string name)
    {
        var path = Paths(directory, name).Cert;
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            using var certificate = X509CertificateLoader.LoadCertificateFromFile(path);
            var sans = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
            return sans is null ? [] : [.. sans.EnumerateDnsNames(), .. sans.EnumerateIPAddresses().Select(ip => ip.ToString())];
        }
        catch (CryptographicException)
        {
            return [];
        }
    }

    /// <summary>Whether a serving certificate names every wanted host (a new address or --tls-san makes a new one).</summary>
    private static bool Covers(X509Certificate2 server, IEnumerable<string> names)
    {
        var sans = server.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (sans is null)
        {
            return false;
        }

        var dns = sans.EnumerateDnsNames().ToHashSet(StringComparer.OrdinalIgnoreCase);
        var ips = sans.EnumerateIPAddresses().ToHashSet();
        return names.All(n => IPAddress.TryParse(n, out var ip) ? ips.Contains(ip) : dns.Contains(n));
    }

    /// <summary>A component's client certificate (<see cref="Components"/>), renewed when near expiry.</summary>
    public X509Certificate2 Component(string file, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var user = Components[file];
        var now = time.GetUtcNow();
        return LoadValid(Directory, file, now, Ca) ?? Save(Directory, file, CreateClient(Ca, user, [], now));
    }

    /// <summary>A node's client certificate (<c>CN=system:node:&lt;name&gt;</c>, <c>O=system:nodes</c>), kept as <c>node-&lt;name&gt;</c>.</summary>
    public X509Certificate2 Node(string nodeName, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(nodeName);
        ArgumentNullException.ThrowIfNull(time);
        if (nodeName.Length == 0 || nodeName.Contains('/', StringComparison.Ordinal) || nodeName.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"not a node name: {nodeName}", nameof(nodeName));
        }

        var now = time.GetUtcNow();
        var file = "node-" + nodeName;
        return LoadValid(Directory, file, now, Ca) ?? Save(Directory, file, CreateClient(Ca, "system:node:" + nodeName, ["system:nodes"], now));
    }

    /// <summary>A kubelet's serving certificate for a node's names and addresses, signed by this CA (kept in memory only).</summary>
    public X509Certificate2 IssueKubeletServing(string nodeName, IEnumerable<string> sans, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(sans);
        var names = new List<string> { nodeName };
        names.AddRange(sans);
        return Issue(Ca, $"CN={nodeName}", Api.Certificates.SubjectAlternativeNames.Build(names), new Oid("1.3.6.1.5.5.7.3.1"), (time ?? TimeProvider.System).GetUtcNow());
    }

    /// <summary>A client certificate signed by this CA (components, nodes, tests).</summary>
    public X509Certificate2 IssueClient(string user, IReadOnlyList<string> groups, TimeProvider time) =>
        CreateClient(Ca, user, groups, (time ?? TimeProvider.System).GetUtcNow());

    private static X509Certificate2 CreateCa(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=flotilla-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddMinutes(-5), now + CaLifetime);
    }

    private static X509Certificate2 CreateServer(X509Certificate2 ca, IEnumerable<string> extraSans, DateTimeOffset now)
    {
        string[] names = ["localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local",
            IPAddress.Loopback.ToString(), IPAddress.IPv6Loopback.ToString(), "10.43.0.1"];
        return Issue(ca, "CN=kube-apiserver", Api.Certificates.SubjectAlternativeNames.Build(names.Concat(extraSans)), new Oid("1.3.6.1.5.5.7.3.1"), now);
    }

    private static X509Certificate2 CreateClient(X509Certificate2 ca, string user, IReadOnlyList<string> groups, DateTimeOffset now)
    {
        var subject = new X500DistinguishedNameBuilder();
        foreach (var group in groups)
        {
            subject.AddOrganizationName(group);
        }

        subject.AddCommonName(user);
        return Issue(ca, subject.Build().Name, null, new Oid("1.3.6.1.5.5.7.3.2"), now);
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string subject, X509Extension? sans, Oid usage, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        if (sans is not null)
        {
            request.CertificateExtensions.Add(sans);
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var issued = request.Create(ca, now.AddMinutes(-5), now + LeafLifetime, serial);
        return issued.CopyWithPrivateKey(key);
    }

    private static X509Certificate2? LoadValid(string directory, string name, DateTimeOffset now, X509Certificate2? issuer = null)
    {
        var (certPath, keyPath) = Paths(directory, name);
        if (!File.Exists(certPath) || !File.Exists(keyPath))
        {
            return null;
        }

        var cert = X509Certificate2.CreateFromPemFile(certPath, keyPath);
        if (cert.NotAfter.ToUniversalTime() - now.UtcDateTime < RenewBefore ||
            (issuer is not null && cert.Issuer != issuer.Subject))
        {
            cert.Dispose();
            return null;
        }

        return cert;
    }

    private static X509Certificate2 Save(string directory, string name, X509Certificate2 cert)
    {
        var (certPath, keyPath) = Paths(directory, name);
        WriteAtomically(keyPath, cert.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        WriteAtomically(certPath, cert.ExportCertificatePem(), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return cert;
    }

    private static void WriteAtomically(string path, string text, UnixFileMode mode)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, text);
        File.SetUnixFileMode(temp, mode);
        File.Move(temp, path, overwrite: true);
    }

    private static (string Cert, string Key) Paths(string directory, string name) =>
        (Path.Combine(directory, name + ".crt"), Path.Combine(directory, name + ".key"));
}
