using Flotilla.Api.Defaults;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

public sealed class ImageReferenceTests
{
    private const string Sha256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Theory]
    [InlineData("busybox", "latest")]
    [InlineData("busybox:latest", "latest")]
    [InlineData("busybox:1.36", "1.36")]
    [InlineData("library/busybox:1.36", "1.36")]
    [InlineData("docker.io/library/busybox", "latest")]
    [InlineData("index.docker.io/busybox:v1", "v1")]
    [InlineData("registry.k8s.io/pause:3.10", "3.10")]
    [InlineData("localhost/app", "latest")]
    [InlineData("localhost:5000/app", "latest")]
    [InlineData("localhost:5000/app:v2", "v2")]
    [InlineData("MyRegistry/app:v1", "v1")]
    [InlineData("[::1]:5000/app:v1", "v1")]
    [InlineData("ghcr.io/org/team/app:v1.2.3-rc.1_b", "v1.2.3-rc.1_b")]
    [InlineData("busybox:LATEST", "LATEST")]
    [InlineData("busybox@" + Sha256, "")]
    [InlineData("busybox:latest@" + Sha256, "latest")]
    [InlineData("busybox:1.36@" + Sha256, "1.36")]
    public void Tag_ValidReference_ReturnsTag(string image, string expected) =>
        Assert.Equal(expected, ImageReference.Tag(image));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Busybox")]
    [InlineData("busybox:")]
    [InlineData("busybox:-bad")]
    [InlineData(":latest")]
    [InlineData("busybox@sha256:abc")]
    [InlineData("busybox@md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("busybox@sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("a b")]
    [InlineData("büsybox")]
    public void Tag_InvalidReference_ReturnsNull(string? image) =>
        Assert.Null(ImageReference.Tag(image));
}
