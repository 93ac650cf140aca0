using System.Security.Cryptography;

namespace Flotilla.ApiServer.Auth.ServiceAccounts;

/// <summary>
/// The key that signs and verifies ServiceAccount tokens (kube-apiserver's --service-account-signing-key-file):
/// <c>&lt;data-dir&gt;/tls/service-account.key</c>, PKCS#8 PEM, 0600, made at first start as ECDSA P-256 (ES256); an
/// RSA key put there instead signs RS256. The key ID is upstream's: base64url SHA-256 of the public key's DER.
/// </summary>
public sealed class ServiceAccountKey : IDisposable
{
    public const string FileName = "service-account.key";

    private readonly ECDsa? _ec;
    private readonly RSA? _rsa;

    private ServiceAccountKey(ECDsa? ec, RSA? rsa)
    {
        (_ec, _rsa) = (ec, rsa);
        Algorithm = ec is not null ? "ES256" : "RS256";
        KeyId = Base64Url(SHA256.HashData(((AsymmetricAlgorithm?)ec ?? rsa!).ExportSubjectPublicKeyInfo()));
    }

    /// <summary>The JWS algorithm: <c>ES256</c> or <c>RS256</c>.</summary>
    public string Algorithm { get; }

    /// <summary>The <c>kid</c> header of the tokens it signs.</summary>
    public string KeyId { get; }

    /// <summary>Loads the key from <paramref name="directory"/>, making it when missing.</summary>
    public static ServiceAccountKey LoadOrCreate(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(directory);
            using var created = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var temp = path + ".tmp";
            File.WriteAllText(temp, created.ExportPkcs8PrivateKeyPem());
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.Move(temp, path, overwrite: true);
        }

        try
        {
            return FromPem(File.ReadAllText(path));
        }
        catch (CryptographicException e)
        {
            throw new CryptographicException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>A key held only in memory (an API server started without one: its tokens die with it).</summary>
    public static ServiceAccountKey Ephemeral() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256), null);

    /// <summary>An ECDSA P-256 or RSA (2048 bits or more) private key in PEM: PKCS#8, SEC1 or PKCS#1.</summary>
    public static ServiceAccountKey FromPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            ec.Dispose();
            ec = null;
        }

        if (ec is not null)
        {
            if (ec.KeySize == 256)
            {
                return new ServiceAccountKey(ec, null);
            }

            ec.Dispose();
            throw new CryptographicException("the service account key must be ECDSA P-256 (ES256) or RSA (RS256)");
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return rsa.KeySize >= 2048 ? new ServiceAccountKey(null, rsa) : throw new CryptographicException("the service account RSA key must have at least 2048 bits");
        }
        catch (ArgumentException e)
        {
            rsa.Dispose();
            throw new CryptographicException($"no ECDSA or RSA private key found: {e.Message}", e);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    // The in-box ECDsa and RSA are safe for concurrent sign and verify (only key import and generation are not).
    public byte[] Sign(ReadOnlySpan<byte> data) =>
        _ec is not null ? _ec.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
            : _rsa!.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        _ec is not null ? _ec.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
            : _rsa!.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    public void Dispose()
    {
        _ec?.Dispose();
        _rsa?.Dispose();
    }

    internal static string Base64Url(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
