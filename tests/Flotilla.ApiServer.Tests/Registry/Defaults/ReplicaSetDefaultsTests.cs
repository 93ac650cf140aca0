using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

public sealed class ReplicaSetDefaultsTests
{
    [Theory]
    [InlineData("{}", 1)]
    [InlineData("""{"replicas":0}""", 0)]
    [InlineData("""{"replicas":3}""", 3)]
    public void Apply_Replicas_OneByDefault(string spec, int expected)
    {
        var rs = Defaulted.SpecObject<V1ReplicaSet>(spec);

        Assert.Equal(expected, rs.Spec.Replicas);
        Assert.Equal("ClusterFirst", rs.Spec.Template.Spec.DnsPolicy);
    }
}
