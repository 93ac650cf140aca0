using Flotilla.Api.Defaults;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

public sealed class ContainerDefaultsTests
{
    // Upstream's TestSetDefaultsContainersImagePullPolicy and the pull policy cases of defaults_test.go.
    [Theory]
    [InlineData("nginx", "Always")]
    [InlineData("nginx:latest", "Always")]
    [InlineData("nginx:1.25", "IfNotPresent")]
    [InlineData("registry.k8s.io/pause:3.10", "IfNotPresent")]
    [InlineData("localhost:5000/app", "Always")]
    [InlineData("localhost:5000/app:v1", "IfNotPresent")]
    [InlineData("nginx@sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "IfNotPresent")]
    [InlineData("nginx:latest@sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "Always")]
    [InlineData("Nginx", "IfNotPresent")]
    [InlineData("", "IfNotPresent")]
    public void Apply_ImageWithoutPullPolicy_PullPolicyByTag(string image, string expected)
    {
        var container = new V1Container { Name = "c", Image = image };

        ContainerDefaults.Apply(container);

        Assert.Equal(expected, container.ImagePullPolicy);
    }

    [Theory]
    [InlineData("nginx", "Never")]
    [InlineData("nginx:1.25", "Always")]
    public void Apply_ExplicitPullPolicy_Kept(string image, string policy)
    {
        var container = new V1Container { Name = "c", Image = image, ImagePullPolicy = policy };

        ContainerDefaults.Apply(container);

        Assert.Equal(policy, container.ImagePullPolicy);
    }

    [Fact]
    public void Apply_BareContainer_TerminationMessageAndEmptyResources()
    {
        var container = new V1Container { Name = "c", Image = "nginx:1.25" };

        ContainerDefaults.Apply(container);

        Assert.Equal("/dev/termination-log", container.TerminationMessagePath);
        Assert.Equal("File", container.TerminationMessagePolicy);
        Assert.NotNull(container.Resources);
        Assert.Null(container.Resources.Requests);
        Assert.Null(container.Resources.Limits);
    }

    [Fact]
    public void Apply_ExplicitTerminationMessage_Kept()
    {
        var container = new V1Container
        {
            Name = "c",
            TerminationMessagePath = "/tmp/msg",
            TerminationMessagePolicy = "FallbackToLogsOnError",
        };

        ContainerDefaults.Apply(container);

        Assert.Equal("/tmp/msg", container.TerminationMessagePath);
        Assert.Equal("FallbackToLogsOnError", container.TerminationMessagePolicy);
    }

    [Theory]
    [InlineData(null, "TCP")]
    [InlineData("", "TCP")]
    [InlineData("UDP", "UDP")]
    [InlineData("SCTP", "SCTP")]
    public void Apply_Port_ProtocolDefaultsToTcp(string? protocol, string expected)
    {
        var container = new V1Container { Name = "c", Ports = [new V1ContainerPort { ContainerPort = 80, Protocol = protocol }] };

        ContainerDefaults.Apply(container);

        Assert.Equal(expected, container.Ports[0].Protocol);
        Assert.Null(container.Ports[0].HostPort);
    }

    [Fact]
    public void Apply_EnvFieldRefWithoutApiVersion_V1()
    {
        var container = new V1Container
        {
            Name = "c",
            Env =
            [
                new V1EnvVar { Name = "IP", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "status.podIP" } } },
                new V1EnvVar { Name = "PLAIN", Value = "x" },
            ],
        };

        ContainerDefaults.Apply(container);

        Assert.Equal("v1", container.Env[0].ValueFrom.FieldRef.ApiVersion);
        Assert.Null(container.Env[1].ValueFrom);
    }

    [Fact]
    public void Apply_ContainerResources_RoundedToMilli()
    {
        var container = new V1Container
        {
            Name = "c",
            Resources = new V1ResourceRequirements
            {
                Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("0.0001") },
                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100u") },
            },
        };

        ContainerDefaults.Apply(container);

        Assert.Equal("1m", container.Resources.Limits["cpu"].ToString());
        Assert.Equal("1m", container.Resources.Requests["cpu"].ToString());
    }

    [Fact]
    public void Apply_EphemeralContainer_SameDefaultsAsContainers()
    {
        var container = new V1EphemeralContainer
        {
            Name = "debug",
            Image = "busybox",
            Ports = [new V1ContainerPort { ContainerPort = 9 }],
            ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Port = 8080 } },
        };

        ContainerDefaults.Apply(container);

        Assert.Equal("Always", container.ImagePullPolicy);
        Assert.Equal("/dev/termination-log", container.TerminationMessagePath);
        Assert.Equal("File", container.TerminationMessagePolicy);
        Assert.Equal("TCP", container.Ports[0].Protocol);
        Assert.Equal("/", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal(10, container.ReadinessProbe.PeriodSeconds);
    }
}
