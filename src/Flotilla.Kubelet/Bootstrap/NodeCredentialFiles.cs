using System.Security.Cryptography.X509Certificates;

namespace Flotilla.Kubelet.Bootstrap;

/// <summary>
/// A joined node's credentials on disk (kubelet's <c>/var/lib/kubelet/pki</c>): <c>ca.crt</c>, <c>kubelet-client.crt</c>
/// and <c>kubelet-server.crt</c> with their keys (0600), so a restarted agent needs neither the server nor a new request.
/// </summary>
public sealed class NodeCredentialFiles(string directory)
{
    public string Directory { get; } = directory;

    public string CaFile => Path.Combine(Directory, "ca.crt");

    public void SaveCa(byte[] pem)
    {
        System.IO.Directory.CreateDirectory(Directory);
        Write(CaFile, pem, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    /// <summary>
    /// The kept certificate <paramref name="name"/> with its key, when <paramref name="ca"/> issued it and it has not
    /// ended: the running node renews it (one past its rotation point at once), as itself, with no join token.
    /// </summary>
    public X509Certificate2? Load(string name, X509Certificate2 ca, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ca);
        var (cert, key) = Paths(name);
        if (!File.Exists(cert) || !File.Exists(key))
        {
            return null;
        }

        try
        {
            var loaded = X509Certificate2.CreateFromPemFile(cert, key);
            if (!IssuedBy(loaded, ca, now))
            {
                loaded.Dispose();
                return null;
            }

            return loaded;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    public void Save(string name, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        System.IO.Directory.CreateDirectory(Directory);
        var (cert, key) = Paths(name);
        var keyPem = certificate.GetECDsaPrivateKey()?.ExportPkcs8PrivateKeyPem() ?? throw new ArgumentException("the certificate has no EC private key", nameof(certificate));
        Write(key, System.Text.Encoding.ASCII.GetBytes(keyPem), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Write(cert, System.Text.Encoding.ASCII.GetBytes(certificate.ExportCertificatePem()), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    /// <summary>Whether <paramref name="ca"/> itself signed it (every cluster's CA has the same name: the chain decides).</summary>
    private static bool IssuedBy(X509Certificate2 certificate, X509Certificate2 ca, DateTimeOffset now)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        return chain.Build(certificate);
    }

    private (string Cert, string Key) Paths(string name) => (Path.Combine(Directory, name + ".crt"), Path.Combine(Directory, name + ".key"));

    private static void Write(string path, byte[] bytes, UnixFileMode mode)
    {
        // Created with its mode: a key is never readable by others, not even for a moment.
        var temp = path + ".tmp";
        File.Delete(temp);
        using (var file = new FileStream(temp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode }))
        {
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}
