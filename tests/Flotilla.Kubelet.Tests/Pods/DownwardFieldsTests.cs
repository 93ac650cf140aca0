using Flotilla.Kubelet.Pods;
using k8s.Models;

namespace Flotilla.Kubelet.Tests.Pods;

public sealed class DownwardFieldsTests
{
    private static V1Pod Pod() => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "web",
            NamespaceProperty = "shop",
            Uid = "u-1",
            Labels = new Dictionary<string, string> { ["tier"] = "front", ["app"] = "web" },
            Annotations = new Dictionary<string, string> { ["note"] = "say \"hi\"\n" },
        },
        Spec = new V1PodSpec
        {
            NodeName = "n1",
            ServiceAccountName = "robot",
            Containers =
            [
                new V1Container
                {
                    Name = "app",
                    Resources = new V1ResourceRequirements
                    {
                        Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("250m"), ["memory"] = new("100Mi") },
                        Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("1Gi") },
                    },
                },
            ],
        },
    };

    private static readonly V1Node Node = new() { Status = new V1NodeStatus { Allocatable = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("4"), ["memory"] = new("16Gi"), ["ephemeral-storage"] = new("100Gi") } } };

    [Theory]
    [InlineData("metadata.name", "web")]
    [InlineData("metadata.namespace", "shop")]
    [InlineData("metadata.uid", "u-1")]
    [InlineData("metadata.labels['tier']", "front")]
    [InlineData("metadata.labels['none']", "")]
    [InlineData("spec.nodeName", "n1")]
    [InlineData("spec.serviceAccountName", "robot")]
    [InlineData("status.hostIP", "192.0.2.1")]
    [InlineData("status.podIPs", "10.42.0.5,fd00::5")]
    [InlineData("metadata.labels", "app=\"web\"\ntier=\"front\"")]
    [InlineData("metadata.annotations", "note=\"say \\\"hi\\\"\\n\"")]
    public void Fields(string path, string expected) =>
        Assert.Equal(expected, DownwardFields.Field(Pod(), path, ["192.0.2.1"], ["10.42.0.5", "fd00::5"]));

    [Theory]
    [InlineData("requests.cpu", null, "1")]       // 250m rounds up to a core
    [InlineData("requests.cpu", "1m", "250")]
    [InlineData("limits.cpu", null, "4")]         // no limit: the node's allocatable
    [InlineData("limits.memory", "1Mi", "1024")]
    [InlineData("requests.memory", null, "104857600")]
    [InlineData("limits.ephemeral-storage", "1Gi", "100")]
    public void Resources(string resource, string? divisor, string expected) =>
        Assert.Equal(expected, DownwardFields.Resource(Pod(), new V1ResourceFieldSelector { Resource = resource, Divisor = divisor is null ? null : new ResourceQuantity(divisor) }, "app", Node));

    [Fact]
    public void UnknownPathsAndContainers_FailWithUpstreamsMessages()
    {
        Assert.Equal("unsupported fieldPath: spec.hostname", Assert.Throws<InvalidOperationException>(() => DownwardFields.Field(Pod(), "spec.hostname", [], [])).Message);
        Assert.Equal("container other not found", Assert.Throws<InvalidOperationException>(() => DownwardFields.Resource(Pod(), new V1ResourceFieldSelector { Resource = "limits.cpu", ContainerName = "other" }, "app", Node)).Message);
    }
}
