using Flotilla.Controllers.Deployment;
using k8s.Models;

namespace Flotilla.Controllers.Tests.Deployment;

/// <summary>Upstream's deployment_util_test cases for the rolling-update arithmetic.</summary>
public sealed class DeploymentMathTests
{
    [Theory]
    [InlineData(10, "25%", "25%", 3, 2)]     // surge rounds up, unavailable down
    [InlineData(3, "25%", "25%", 1, 0)]
    [InlineData(1, "25%", "25%", 1, 0)]
    [InlineData(10, "0", "0%", 0, 1)]        // both zero: one may be unavailable
    [InlineData(10, "0%", "50%", 0, 5)]
    [InlineData(5, "2", "1", 2, 1)]
    [InlineData(0, "25%", "25%", 0, 1)]
    [InlineData(7, "100%", "0", 7, 0)]
    public void Fenceposts(int replicas, string surge, string unavailable, int expectedSurge, int expectedUnavailable)
    {
        Assert.Equal((expectedSurge, expectedUnavailable), DeploymentMath.Fenceposts(Deployment(replicas, surge, unavailable)));
    }

    [Theory]
    [InlineData(3, "3", 3)]   // never more unavailable than replicas
    [InlineData(0, "1", 0)]
    public void MaxUnavailable_IsCappedByReplicas(int replicas, string unavailable, int expected)
    {
        Assert.Equal(expected, DeploymentMath.MaxUnavailable(Deployment(replicas, "1", unavailable)));
    }

    [Theory]
    [InlineData(10, "25%", 0, 10, 3)]   // 10 old + 0 new: surge 3
    [InlineData(10, "25%", 3, 10, 3)]   // at the limit: stays
    [InlineData(10, "25%", 3, 7, 6)]    // old scaled down to 7: new may grow to 6
    [InlineData(10, "25%", 9, 0, 10)]   // never past the desired count
    public void NewReplicaSet_GrowsWithinTheSurge(int replicas, string surge, int newSize, int oldSize, int expected)
    {
        var d = Deployment(replicas, surge, "25%");
        var newRs = ReplicaSet(newSize);
        Assert.Equal(expected, DeploymentMath.NewReplicaSetReplicas(d, [ReplicaSet(oldSize), newRs], newRs));
    }

    [Fact]
    public void Recreate_NewReplicaSetTakesTheWholeCount()
    {
        var d = Deployment(4, "1", "1");
        d.Spec.Strategy = new V1DeploymentStrategy { Type = "Recreate" };
        Assert.Equal(4, DeploymentMath.NewReplicaSetReplicas(d, [], ReplicaSet(0)));
        Assert.Equal(0, DeploymentMath.MaxSurge(d));
        Assert.Equal(0, DeploymentMath.MaxUnavailable(d));
    }

    [Theory]
    [InlineData(5, 13, 20, 26, 5)]     // was 13 max (10 + 3), now 26 max (20 + 5): 5 -> 10
    [InlineData(5, 26, 10, -13, -2)]   // down from 26 max to 13: 5 * 13 / 26 = 2.5, rounded half away from zero -> 3
    [InlineData(10, 13, 20, 4, 4)]     // its fraction (10 * 25 / 13 - 10 = 9) is capped by what is left to add
    public void Proportion_FollowsTheMaxReplicasAnnotation(int rsSize, int oldMax, int newReplicas, int toAdd, int expected)
    {
        var d = Deployment(newReplicas, "25%", "25%");
        var rs = ReplicaSet(rsSize);
        rs.Metadata.Annotations = new Dictionary<string, string> { [DeploymentMath.MaxReplicasAnnotation] = oldMax.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        Assert.Equal(expected, DeploymentMath.Proportion(rs, d, toAdd, 0));
    }

    private static V1Deployment Deployment(int replicas, string surge, string unavailable) => new()
    {
        Metadata = new V1ObjectMeta { Name = "d" },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Strategy = new V1DeploymentStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = surge, MaxUnavailable = unavailable } },
        },
        Status = new V1DeploymentStatus(),
    };

    private static V1ReplicaSet ReplicaSet(int replicas) => new() { Metadata = new V1ObjectMeta { Name = "rs" + replicas }, Spec = new V1ReplicaSetSpec { Replicas = replicas } };
}
