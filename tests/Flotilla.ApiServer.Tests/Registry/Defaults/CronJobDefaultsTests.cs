using Flotilla.ApiServer.Tests.Patch;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

public sealed class CronJobDefaultsTests
{
    // Upstream's batch/v1 TestSetDefaultCronJob.
    [Theory]
    [InlineData(
        """{"schedule":"* * * * *"}""",
        """{"concurrencyPolicy":"Allow","failedJobsHistoryLimit":1,"schedule":"* * * * *","successfulJobsHistoryLimit":3,"suspend":false}""")]
    [InlineData(
        """{"schedule":"* * * * *","concurrencyPolicy":"Forbid","suspend":true,"successfulJobsHistoryLimit":5,"failedJobsHistoryLimit":0}""",
        """{"concurrencyPolicy":"Forbid","failedJobsHistoryLimit":0,"schedule":"* * * * *","successfulJobsHistoryLimit":5,"suspend":true}""")]
    public void Apply_Spec_UpstreamDefaults(string spec, string expected)
    {
        var cronJob = Defaulted.SpecJson<V1CronJob>(spec);
        var actual = cronJob["spec"]!.AsObject();
        actual.Remove("jobTemplate");

        JsonAssert.Equal(expected, actual);
    }

    [Fact]
    public void Apply_JobTemplate_PodSpecDefaultsOnlyNotJobDefaults()
    {
        var cronJob = Defaulted.Json<V1CronJob>("""
            {"spec":{"schedule":"*/1 * * * *","jobTemplate":{"metadata":{"name":"hello"},
              "spec":{"template":{"spec":{"restartPolicy":"OnFailure","containers":[{"name":"hello","image":"busybox:1.28"}]}}}}}}
            """);

        JsonAssert.Equal("""
            {"metadata":{"name":"hello"},
             "spec":{"template":{"spec":{"containers":[{"image":"busybox:1.28","imagePullPolicy":"IfNotPresent","name":"hello","resources":{},
                 "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],
               "dnsPolicy":"ClusterFirst","restartPolicy":"OnFailure","schedulerName":"default-scheduler","securityContext":{},
               "terminationGracePeriodSeconds":30}}}}
            """, cronJob.At("spec.jobTemplate"));
    }
}
