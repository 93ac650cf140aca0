using Flotilla.ApiServer.Tests.Patch;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

public sealed class StatefulSetDefaultsTests
{
    // Upstream's apps/v1 TestSetDefaultStatefulSetSpec, spec fields other than the templates.
    [Theory]
    [InlineData(
        "{}",
        """{"persistentVolumeClaimRetentionPolicy":{"whenDeleted":"Retain","whenScaled":"Retain"},"podManagementPolicy":"OrderedReady","replicas":1,"revisionHistoryLimit":10,"updateStrategy":{"rollingUpdate":{"partition":0},"type":"RollingUpdate"}}""")]
    [InlineData(
        """{"podManagementPolicy":"Parallel","replicas":0,"revisionHistoryLimit":2,"updateStrategy":{"type":"OnDelete"},"persistentVolumeClaimRetentionPolicy":{"whenDeleted":"Delete"}}""",
        """{"persistentVolumeClaimRetentionPolicy":{"whenDeleted":"Delete","whenScaled":"Retain"},"podManagementPolicy":"Parallel","replicas":0,"revisionHistoryLimit":2,"updateStrategy":{"type":"OnDelete"}}""")]
    [InlineData(
        """{"updateStrategy":{"type":"RollingUpdate"}}""",
        """{"persistentVolumeClaimRetentionPolicy":{"whenDeleted":"Retain","whenScaled":"Retain"},"podManagementPolicy":"OrderedReady","replicas":1,"revisionHistoryLimit":10,"updateStrategy":{"type":"RollingUpdate"}}""")]
    [InlineData(
        """{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":2}}}""",
        """{"persistentVolumeClaimRetentionPolicy":{"whenDeleted":"Retain","whenScaled":"Retain"},"podManagementPolicy":"OrderedReady","replicas":1,"revisionHistoryLimit":10,"updateStrategy":{"rollingUpdate":{"maxUnavailable":2,"partition":0},"type":"RollingUpdate"}}""")]
    [InlineData(
        """{"updateStrategy":{"rollingUpdate":{"partition":3}}}""",
        """{"persistentVolumeClaimRetentionPolicy":{"whenDeleted":"Retain","whenScaled":"Retain"},"podManagementPolicy":"OrderedReady","replicas":1,"revisionHistoryLimit":10,"updateStrategy":{"rollingUpdate":{"partition":3},"type":"RollingUpdate"}}""")]
    public void Apply_Spec_UpstreamDefaults(string spec, string expected)
    {
        var sts = Defaulted.SpecJson<V1StatefulSet>(spec);
        var actual = sts["spec"]!.AsObject();
        actual.Remove("template");

        JsonAssert.Equal(expected, actual);
    }

    [Fact]
    public void Apply_VolumeClaimTemplates_ClaimDefaults()
    {
        var sts = Defaulted.Json<V1StatefulSet>("""
            {"spec":{"volumeClaimTemplates":[{"metadata":{"name":"www"},
              "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}]}}
            """);

        JsonAssert.Equal("""
            [{"metadata":{"name":"www"},
              "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}},"volumeMode":"Filesystem"},
              "status":{"phase":"Pending"}}]
            """, sts.At("spec.volumeClaimTemplates"));
    }

    [Fact]
    public void Apply_Template_PodSpecDefaults()
    {
        var sts = Defaulted.Object<V1StatefulSet>("""{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}""");

        Assert.Equal("Always", sts.Spec.Template.Spec.Containers[0].ImagePullPolicy);
        Assert.Equal(30, sts.Spec.Template.Spec.TerminationGracePeriodSeconds);
    }
}
