using Flotilla.Client.Events;
using k8s.Models;

namespace Flotilla.Client.Tests.Events;

public sealed class ObjectReferencesTests
{
    [Fact]
    public void For_TypedObjectWithoutKind_TakesKindAndApiVersionFromItsModel()
    {
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "shop", Uid = "u-1", ResourceVersion = "7" } };
        var deployment = new V1Deployment { Metadata = new V1ObjectMeta { Name = "web" } };

        var podRef = ObjectReferences.For(pod);
        var deploymentRef = ObjectReferences.For(deployment);

        Assert.Equal(("Pod", "v1", "shop", "web", "u-1", "7"), (podRef.Kind, podRef.ApiVersion, podRef.NamespaceProperty, podRef.Name, podRef.Uid, podRef.ResourceVersion));
        Assert.Equal(("Deployment", "apps/v1", null), (deploymentRef.Kind, deploymentRef.ApiVersion, deploymentRef.NamespaceProperty));
    }

    [Fact]
    public void For_ObjectWithKind_KeepsIt()
    {
        var node = new V1Node { Kind = "Node", ApiVersion = "v1", Metadata = new V1ObjectMeta { Name = "n1", NamespaceProperty = string.Empty } };

        var reference = ObjectReferences.For(node);

        Assert.Equal(("Node", "v1", null, "n1"), (reference.Kind, reference.ApiVersion, reference.NamespaceProperty, reference.Name));
    }
}
