using System.Security.Cryptography;
using System.Text;
using Flotilla.Api.Bootstrap;

namespace Flotilla.Api.Tests.Bootstrap;

public sealed class JoinTokenTests
{
    private static readonly byte[] CaFile = Encoding.ASCII.GetBytes("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");

    [Fact]
    public void Format_IsK10TheCaFilesSha256ThenTheBootstrapToken()
    {
        var token = JoinToken.Format(CaFile, "abcdef", "0123456789abcdef");

        Assert.Equal($"K10{Convert.ToHexStringLower(SHA256.HashData(CaFile))}::abcdef.0123456789abcdef", token);
    }

    [Fact]
    public void TryParse_RoundTrips()
    {
        Assert.True(JoinToken.TryParse(JoinToken.Format(CaFile, "abcdef", "0123456789abcdef"), out var hash, out var id, out var secret));

        Assert.Equal((JoinToken.CaHash(CaFile), "abcdef", "0123456789abcdef"), (hash, id, secret));
    }

    [Theory]
    [InlineData("abcdef.0123456789abcdef")]
    [InlineData("K10abc::abcdef.0123456789abcdef")]
    [InlineData("K10e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855::server:password")]
    [InlineData("K10E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855::abcdef.0123456789abcdef")]
    public void TryParse_OtherForms_AreRefused(string token) =>
        Assert.False(JoinToken.TryParse(token, out _, out _, out _));
}
