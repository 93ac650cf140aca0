using Flotilla.Api.Defaults;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

public sealed class ProbeDefaultsTests
{
    [Theory]
    [InlineData(null, null, null, null, 1, 10, 1, 3)]
    [InlineData(0, 0, 0, 0, 1, 10, 1, 3)]
    [InlineData(5, 20, 2, 6, 5, 20, 2, 6)]
    public void Apply_Thresholds_ZeroOrMissingMeansDefault(
        int? timeout, int? period, int? success, int? failure,
        int expectedTimeout, int expectedPeriod, int expectedSuccess, int expectedFailure)
    {
        var probe = new V1Probe
        {
            TcpSocket = new V1TCPSocketAction { Port = 80 },
            TimeoutSeconds = timeout,
            PeriodSeconds = period,
            SuccessThreshold = success,
            FailureThreshold = failure,
        };

        ProbeDefaults.Apply(probe);

        Assert.Equal(expectedTimeout, probe.TimeoutSeconds);
        Assert.Equal(expectedPeriod, probe.PeriodSeconds);
        Assert.Equal(expectedSuccess, probe.SuccessThreshold);
        Assert.Equal(expectedFailure, probe.FailureThreshold);
        Assert.Null(probe.InitialDelaySeconds);
    }

    [Theory]
    [InlineData(null, null, "/", "HTTP")]
    [InlineData("", "", "/", "HTTP")]
    [InlineData("/healthz", "HTTPS", "/healthz", "HTTPS")]
    public void Apply_HttpGet_PathAndScheme(string? path, string? scheme, string expectedPath, string expectedScheme)
    {
        var probe = new V1Probe { HttpGet = new V1HTTPGetAction { Port = 8080, Path = path, Scheme = scheme } };

        ProbeDefaults.Apply(probe);

        Assert.Equal(expectedPath, probe.HttpGet.Path);
        Assert.Equal(expectedScheme, probe.HttpGet.Scheme);
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("liveness", "liveness")]
    public void Apply_Grpc_ServiceDefaultsToEmpty(string? service, string expected)
    {
        var probe = new V1Probe { Grpc = new V1GRPCAction { Port = 9000, Service = service } };

        ProbeDefaults.Apply(probe);

        Assert.Equal(expected, probe.Grpc.Service);
    }

    [Fact]
    public void Apply_LifecycleHttpHooks_PathAndScheme()
    {
        var lifecycle = new V1Lifecycle
        {
            PostStart = new V1LifecycleHandler { HttpGet = new V1HTTPGetAction { Host = "localhost", Port = 80 } },
            PreStop = new V1LifecycleHandler { Exec = new V1ExecAction { Command = ["sleep", "5"] } },
        };

        ProbeDefaults.Apply(lifecycle);

        Assert.Equal("/", lifecycle.PostStart.HttpGet.Path);
        Assert.Equal("HTTP", lifecycle.PostStart.HttpGet.Scheme);
        Assert.Null(lifecycle.PreStop.HttpGet);
    }
}
