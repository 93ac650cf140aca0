using Flotilla.ApiServer.Tests.Patch;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

public sealed class DeploymentDefaultsTests
{
    // Upstream's apps/v1 TestSetDefaultDeployment, spec fields other than the template.
    [Theory]
    [InlineData(
        "{}",
        """{"replicas":1,"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},"revisionHistoryLimit":10,"progressDeadlineSeconds":600}""")]
    [InlineData(
        """{"replicas":5,"strategy":{"rollingUpdate":{"maxSurge":1}}}""",
        """{"replicas":5,"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1,"maxUnavailable":"25%"}},"revisionHistoryLimit":10,"progressDeadlineSeconds":600}""")]
    [InlineData(
        """{"replicas":5,"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":0}}}""",
        """{"replicas":5,"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":0}},"revisionHistoryLimit":10,"progressDeadlineSeconds":600}""")]
    [InlineData(
        """{"replicas":0,"strategy":{"type":"Recreate"},"revisionHistoryLimit":0,"progressDeadlineSeconds":30}""",
        """{"replicas":0,"strategy":{"type":"Recreate"},"revisionHistoryLimit":0,"progressDeadlineSeconds":30}""")]
    public void Apply_Spec_UpstreamDefaults(string spec, string expected)
    {
        var deployment = Defaulted.SpecJson<V1Deployment>(spec);
        var actual = deployment["spec"]!.AsObject();
        actual.Remove("template");

        JsonAssert.Equal(expected, actual);
    }

    [Fact]
    public void Apply_Template_PodSpecDefaultsButNotPodOnes()
    {
        var deployment = Defaulted.Json<V1Deployment>("""
            {"spec":{"template":{"spec":{"hostNetwork":true,"containers":[{"name":"c","image":"nginx:1.25",
              "ports":[{"containerPort":80}],"resources":{"limits":{"cpu":"1"}}}]}}}}
            """);

        JsonAssert.Equal("""
            {"hostNetwork":true,"containers":[{"name":"c","image":"nginx:1.25","imagePullPolicy":"IfNotPresent",
               "ports":[{"containerPort":80,"protocol":"TCP"}],"resources":{"limits":{"cpu":"1"}},
               "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],
             "dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},
             "terminationGracePeriodSeconds":30}
            """, deployment.At("spec.template.spec"));
    }

    // "kubectl create deployment nginx --image=nginx" as kube-apiserver v1.32 stores it (less Go's creationTimestamp: null).
    [Fact]
    public void Apply_KubectlCreateDeployment_MatchesUpstream()
    {
        var deployment = Defaulted.Json<V1Deployment>("""
            {"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"nginx","labels":{"app":"nginx"}},
             "spec":{"replicas":1,"selector":{"matchLabels":{"app":"nginx"}},
               "template":{"metadata":{"labels":{"app":"nginx"}},"spec":{"containers":[{"name":"nginx","image":"nginx","resources":{}}]}},
               "strategy":{}},
             "status":{}}
            """);

        JsonAssert.Equal("""
            {"progressDeadlineSeconds":600,"replicas":1,"revisionHistoryLimit":10,"selector":{"matchLabels":{"app":"nginx"}},
             "strategy":{"rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"},"type":"RollingUpdate"},
             "template":{"metadata":{"labels":{"app":"nginx"}},
               "spec":{"containers":[{"image":"nginx","imagePullPolicy":"Always","name":"nginx","resources":{},
                   "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],
                 "dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},
                 "terminationGracePeriodSeconds":30}}}
            """, deployment["spec"]);
    }
}
