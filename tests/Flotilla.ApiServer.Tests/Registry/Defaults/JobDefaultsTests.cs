using Flotilla.Api.Defaults;
using Flotilla.ApiServer.Tests.Patch;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

public sealed class JobDefaultsTests
{
    private const string Template = """{"metadata":{"labels":{"job":"pi"}},"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"perl"}]}}""";

    // Upstream's batch/v1 TestSetDefaultJob: completions and parallelism are both 1 only when both are unset.
    [Theory]
    [InlineData(null, null, 1, 1)]
    [InlineData(0, null, 0, 1)]
    [InlineData(2, null, 2, 1)]
    [InlineData(null, 0, null, 0)]
    [InlineData(null, 2, null, 2)]
    [InlineData(5, 3, 5, 3)]
    public void Apply_CompletionsAndParallelism_OneEachOnlyWhenBothUnset(
        int? completions, int? parallelism, int? expectedCompletions, int expectedParallelism)
    {
        var job = Defaulted.SpecObject<V1Job>(WithTemplate());
        job.Spec.Completions = completions;
        job.Spec.Parallelism = parallelism;
        job.Spec.BackoffLimit = null;

        JobDefaults.Apply(job);

        Assert.Equal(expectedCompletions, job.Spec.Completions);
        Assert.Equal(expectedParallelism, job.Spec.Parallelism);
    }

    [Fact]
    public void Apply_Unspecified_AllUpstreamDefaults()
    {
        var job = Defaulted.SpecJson<V1Job>(WithTemplate());
        var spec = job["spec"]!.AsObject();
        spec.Remove("template");

        JsonAssert.Equal("""
            {"backoffLimit":6,"completionMode":"NonIndexed","completions":1,"manualSelector":false,"parallelism":1,
             "podReplacementPolicy":"TerminatingOrFailed","suspend":false}
            """, spec);
        JsonAssert.Equal("""{"job":"pi"}""", job.At("metadata.labels"));
    }

    [Theory]
    [InlineData("\"completionMode\":\"Indexed\",\"completions\":3,\"backoffLimitPerIndex\":1", 2147483647)]
    [InlineData("\"completionMode\":\"Indexed\",\"completions\":3,\"backoffLimitPerIndex\":1,\"backoffLimit\":4", 4)]
    [InlineData("\"backoffLimit\":0", 0)]
    [InlineData("\"completions\":3", 6)]
    public void Apply_BackoffLimit_UnlimitedWithPerIndexLimit(string fields, int expected)
    {
        var job = Defaulted.SpecObject<V1Job>(WithTemplate(fields));

        Assert.Equal(expected, job.Spec.BackoffLimit);
    }

    [Fact]
    public void Apply_PodFailurePolicy_FailedReplacementAndTrueConditionStatus()
    {
        var job = Defaulted.SpecObject<V1Job>(WithTemplate("""
            "podFailurePolicy":{"rules":[
              {"action":"Ignore","onPodConditions":[{"type":"DisruptionTarget"},{"type":"ConfigIssue","status":"False"}]}]}
            """));

        Assert.Equal("Failed", job.Spec.PodReplacementPolicy);
        Assert.Equal("True", job.Spec.PodFailurePolicy.Rules[0].OnPodConditions[0].Status);
        Assert.Equal("False", job.Spec.PodFailurePolicy.Rules[0].OnPodConditions[1].Status);
    }

    [Fact]
    public void Apply_ExplicitValues_Kept()
    {
        var job = Defaulted.Json<V1Job>("""{"metadata":{"labels":{"mine":"yes"}},"spec":""" + WithTemplate("""
            "completionMode":"Indexed","completions":2,"suspend":true,"manualSelector":true,
            "podReplacementPolicy":"Failed","backoffLimit":1,"parallelism":2
            """) + "}");
        var spec = job["spec"]!.AsObject();
        spec.Remove("template");

        JsonAssert.Equal("""
            {"backoffLimit":1,"completionMode":"Indexed","completions":2,"manualSelector":true,"parallelism":2,
             "podReplacementPolicy":"Failed","suspend":true}
            """, spec);
        JsonAssert.Equal("""{"mine":"yes"}""", job.At("metadata.labels"));
    }

    [Fact]
    public void Apply_Template_PodSpecDefaults()
    {
        var job = Defaulted.SpecJson<V1Job>(WithTemplate());

        JsonAssert.Equal("""
            {"containers":[{"image":"perl","imagePullPolicy":"Always","name":"c","resources":{},
               "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],
             "dnsPolicy":"ClusterFirst","restartPolicy":"Never","schedulerName":"default-scheduler","securityContext":{},
             "terminationGracePeriodSeconds":30}
            """, job.At("spec.template.spec"));
    }

    // A job spec with the shared template and the given extra fields.
    private static string WithTemplate(string fields = "") =>
        "{\"template\":" + Template + (fields.Length > 0 ? "," + fields : "") + "}";
}
