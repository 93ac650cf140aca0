using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Flotilla.Kubelet.Bootstrap;

namespace Flotilla.Kubelet.Tests.Bootstrap;

/// <summary>A certificate is renewed 70 to 90 % into its life, as the kubelet's certificate manager jitters it.</summary>
public sealed class RotationPointTests
{
    private static readonly DateTimeOffset NotBefore = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0.0, 70)]
    [InlineData(0.5, 80)]
    [InlineData(0.999999, 90)]
    public void RotationPoint_IsSeventyToNinetyPercentIntoTheLife(double random, int percent)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=n1", key, HashAlgorithmName.SHA256).CreateSelfSigned(NotBefore, NotBefore.AddDays(100));

        var point = TlsBootstrap.RotationPoint(certificate, random);

        Assert.Equal(NotBefore.AddDays(percent), point, TimeSpan.FromMinutes(1));
    }
}
