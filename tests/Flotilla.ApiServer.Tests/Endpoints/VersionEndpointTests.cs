using Flotilla.ApiServer.Endpoints;

namespace Flotilla.ApiServer.Tests.Endpoints;

public sealed class VersionEndpointTests
{
    [Fact]
    public void Info_ReportsKubernetes132_ForKubectlsDispatcher()
    {
        var info = VersionEndpoint.Info();

        Assert.Equal("1", info.Major);
        Assert.Equal("32", info.Minor);
        Assert.Matches(@"^v1\.32\.0-flotilla\.\d+\.\d+\.\d+$", info.GitVersion);
        Assert.StartsWith("linux/", info.Platform, StringComparison.Ordinal);
    }
}
