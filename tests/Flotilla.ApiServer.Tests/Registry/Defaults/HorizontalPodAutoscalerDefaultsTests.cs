using Flotilla.ApiServer.Tests.Patch;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

public sealed class HorizontalPodAutoscalerDefaultsTests
{
    private const string ScaleUp =
        """{"policies":[{"periodSeconds":15,"type":"Pods","value":4},{"periodSeconds":15,"type":"Percent","value":100}],"selectPolicy":"Max","stabilizationWindowSeconds":0}""";

    private const string ScaleDown = """{"policies":[{"periodSeconds":15,"type":"Percent","value":100}],"selectPolicy":"Max"}""";

    [Fact]
    public void Apply_NoMetrics_OneReplicaAndEightyPercentCpu()
    {
        var hpa = Defaulted.SpecJson<V2HorizontalPodAutoscaler>(
            """{"maxReplicas":5,"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"}}""");

        JsonAssert.Equal("""
            {"maxReplicas":5,"minReplicas":1,"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},
             "metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":80}}}]}
            """, hpa["spec"]);
    }

    [Fact]
    public void Apply_ExplicitMetricsAndMinReplicas_Kept()
    {
        var hpa = Defaulted.SpecJson<V2HorizontalPodAutoscaler>("""
            {"maxReplicas":5,"minReplicas":2,"metrics":[{"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"100Mi"}}}]}
            """);

        JsonAssert.Equal("""
            {"maxReplicas":5,"minReplicas":2,"metrics":[{"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"100Mi"}}}]}
            """, hpa["spec"]);
    }

    // Upstream's autoscaling/v2 TestSetBehaviorDefaults: a behavior naming anything gets both directions filled.
    [Theory]
    [InlineData(null, null)]
    [InlineData("{}", """{"scaleUp":SCALEUP,"scaleDown":SCALEDOWN}""")]
    [InlineData(
        """{"scaleUp":{"stabilizationWindowSeconds":30}}""",
        """{"scaleUp":{"policies":[{"periodSeconds":15,"type":"Pods","value":4},{"periodSeconds":15,"type":"Percent","value":100}],"selectPolicy":"Max","stabilizationWindowSeconds":30},"scaleDown":SCALEDOWN}""")]
    [InlineData(
        """{"scaleDown":{"selectPolicy":"Min","policies":[{"type":"Pods","value":1,"periodSeconds":60}]}}""",
        """{"scaleUp":SCALEUP,"scaleDown":{"policies":[{"type":"Pods","value":1,"periodSeconds":60}],"selectPolicy":"Min"}}""")]
    [InlineData(
        """{"scaleDown":{"stabilizationWindowSeconds":600}}""",
        """{"scaleUp":SCALEUP,"scaleDown":{"policies":[{"periodSeconds":15,"type":"Percent","value":100}],"selectPolicy":"Max","stabilizationWindowSeconds":600}}""")]
    public void Apply_Behavior_BothDirectionsFilled(string? behavior, string? expected)
    {
        var spec = """{"maxReplicas":3,"metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}}]""" +
            (behavior is null ? "" : ",\"behavior\":" + behavior) + "}";

        var hpa = Defaulted.SpecJson<V2HorizontalPodAutoscaler>(spec);

        if (expected is null)
        {
            Assert.Null(hpa.At("spec.behavior"));
        }
        else
        {
            JsonAssert.Equal(
                expected.Replace("SCALEUP", ScaleUp, StringComparison.Ordinal).Replace("SCALEDOWN", ScaleDown, StringComparison.Ordinal),
                hpa.At("spec.behavior"));
        }
    }
}
