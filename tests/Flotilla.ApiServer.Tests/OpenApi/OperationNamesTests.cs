using Flotilla.ApiServer.OpenApi;

namespace Flotilla.ApiServer.Tests.OpenApi;

public sealed class OperationNamesTests
{
    [Theory]
    [InlineData("", "v1", "CoreV1", "core_v1")]
    [InlineData("apps", "v1", "AppsV1", "apps_v1")]
    [InlineData("autoscaling", "v2", "AutoscalingV2", "autoscaling_v2")]
    [InlineData("networking.k8s.io", "v1", "NetworkingV1", "networking_v1")]
    [InlineData("rbac.authorization.k8s.io", "v1", "RbacAuthorizationV1", "rbacAuthorization_v1")]
    [InlineData("flowcontrol.apiserver.k8s.io", "v1beta3", "FlowcontrolApiserverV1beta3", "flowcontrolApiserver_v1beta3")]
    public void GroupVersion_Names_AsUpstream(string group, string version, string prefix, string tag)
    {
        Assert.Equal(prefix, OperationNames.GroupVersion(group, version));
        Assert.Equal(tag, OperationNames.Tag(group, version));
    }
}
