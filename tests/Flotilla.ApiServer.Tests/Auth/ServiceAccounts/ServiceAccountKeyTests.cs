using System.Security.Cryptography;
using System.Text;
using Flotilla.ApiServer.Auth.ServiceAccounts;

namespace Flotilla.ApiServer.Tests.Auth.ServiceAccounts;

public sealed class ServiceAccountKeyTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "flotilla-sakey-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void LoadOrCreate_FirstStart_WritesAnEs256KeyReadableOnlyByTheOwner_AndLoadsTheSameKeyAfter()
    {
        using var made = ServiceAccountKey.LoadOrCreate(_dir);
        using var loaded = ServiceAccountKey.LoadOrCreate(_dir);

        var path = Path.Combine(_dir, ServiceAccountKey.FileName);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Contains("BEGIN PRIVATE KEY", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Equal("ES256", made.Algorithm);
        Assert.Equal(made.KeyId, loaded.KeyId);
        Assert.True(loaded.Verify("x"u8, made.Sign("x"u8)));
    }

    [Fact]
    public void KeyId_IsBase64UrlSha256OfThePublicKeyDer()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var key = ServiceAccountKey.FromPem(ec.ExportPkcs8PrivateKeyPem());

        Assert.Equal(System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(ec.ExportSubjectPublicKeyInfo())), key.KeyId);
    }

    [Fact]
    public void FromPem_RsaKey_SignsRs256()
    {
        using var rsa = RSA.Create(2048);
        using var key = ServiceAccountKey.FromPem(rsa.ExportRSAPrivateKeyPem());

        Assert.Equal("RS256", key.Algorithm);
        Assert.True(rsa.VerifyData(Encoding.ASCII.GetBytes("x"), key.Sign("x"u8), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void FromPem_OtherCurveOrShortRsaOrGarbage_IsRefused()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var rsa1024 = RSA.Create(1024);
        Assert.Throws<CryptographicException>(() => ServiceAccountKey.FromPem(p384.ExportPkcs8PrivateKeyPem()));
        Assert.Throws<CryptographicException>(() => ServiceAccountKey.FromPem(rsa1024.ExportPkcs8PrivateKeyPem()));
        Assert.Throws<CryptographicException>(() => ServiceAccountKey.FromPem("not a key"));
    }

    [Fact]
    public void LoadOrCreate_UnreadableKeyFile_NamesTheFile()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, ServiceAccountKey.FileName), "garbage");

        var e = Assert.Throws<CryptographicException>(() => ServiceAccountKey.LoadOrCreate(_dir));
        Assert.Contains(ServiceAccountKey.FileName, e.Message, StringComparison.Ordinal);
    }
}
