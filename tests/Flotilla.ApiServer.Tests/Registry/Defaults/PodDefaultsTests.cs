using System.Text.Json.Nodes;
using Flotilla.Api.Defaults;
using Flotilla.ApiServer.Tests.Patch;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

public sealed class PodDefaultsTests
{
    [Fact]
    public void Apply_EmptyPod_SpecDefaults()
    {
        var pod = Defaulted.Json<V1Pod>("""{"metadata":{"name":"p"},"spec":{}}""");

        JsonAssert.Equal("""
            {"dnsPolicy":"ClusterFirst","enableServiceLinks":true,"restartPolicy":"Always","schedulerName":"default-scheduler",
             "securityContext":{},"terminationGracePeriodSeconds":30}
            """, pod["spec"]);
    }

    [Fact]
    public void Apply_ExplicitSpecValues_Kept()
    {
        var pod = Defaulted.Json<V1Pod>("""
            {"spec":{"dnsPolicy":"Default","enableServiceLinks":false,"restartPolicy":"Never","schedulerName":"mine",
             "securityContext":{"runAsUser":1000},"terminationGracePeriodSeconds":0}}
            """);

        JsonAssert.Equal("""
            {"dnsPolicy":"Default","enableServiceLinks":false,"restartPolicy":"Never","schedulerName":"mine",
             "securityContext":{"runAsUser":1000},"terminationGracePeriodSeconds":0}
            """, pod["spec"]);
    }

    // Upstream's TestSetDefaultRequestsPod: requests a container left out are its limits, for pods only.
    [Theory]
    [InlineData("""{"limits":{"cpu":"100m","memory":"1Gi"}}""", """{"limits":{"cpu":"100m","memory":"1Gi"},"requests":{"cpu":"100m","memory":"1Gi"}}""")]
    [InlineData("""{"limits":{"cpu":"1","memory":"1Gi"},"requests":{"cpu":"200m"}}""", """{"limits":{"cpu":"1","memory":"1Gi"},"requests":{"cpu":"200m","memory":"1Gi"}}""")]
    [InlineData("""{"requests":{"cpu":"200m"}}""", """{"requests":{"cpu":"200m"}}""")]
    [InlineData("""{"limits":{}}""", """{"limits":{}}""")]
    [InlineData("""{}""", """{}""")]
    public void Apply_ContainerLimits_CopiedIntoMissingRequests(string resources, string expected)
    {
        var manifest = """
            {"spec":{"initContainers":[{"name":"init","image":"busybox:1","resources":RESOURCES}],
                     "containers":[{"name":"app","image":"nginx:1","resources":RESOURCES}]}}
            """.Replace("RESOURCES", resources, StringComparison.Ordinal);

        var pod = Defaulted.Json<V1Pod>(manifest);

        JsonAssert.Equal(expected, pod.At("spec.containers.0.resources"));
        JsonAssert.Equal(expected, pod.At("spec.initContainers.0.resources"));
    }

    [Fact]
    public void ApplyToTemplate_ContainerLimits_RequestsNotDefaulted()
    {
        var template = new V1PodTemplateSpec
        {
            Spec = new V1PodSpec
            {
                Containers =
                [
                    new V1Container
                    {
                        Name = "app",
                        Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1") } },
                    },
                ],
            },
        };

        PodDefaults.ApplyToTemplate(template);

        Assert.Null(template.Spec.Containers[0].Resources.Requests);
        Assert.Null(template.Spec.EnableServiceLinks);
    }

    [Theory]
    [InlineData(true, null, 8080)]
    [InlineData(true, 0, 8080)]
    [InlineData(true, 9090, 9090)]
    [InlineData(false, null, null)]
    [InlineData(false, 0, 0)]
    [InlineData(null, null, null)]
    public void Apply_HostNetwork_ContainerPortsBecomeHostPorts(bool? hostNetwork, int? hostPort, int? expected)
    {
        var pod = new V1Pod
        {
            Spec = new V1PodSpec
            {
                HostNetwork = hostNetwork,
                InitContainers = [new V1Container { Name = "i", Ports = [new V1ContainerPort { ContainerPort = 8080, HostPort = hostPort }] }],
                Containers = [new V1Container { Name = "c", Ports = [new V1ContainerPort { ContainerPort = 8080, HostPort = hostPort }] }],
            },
        };

        PodDefaults.Apply(pod);

        Assert.Equal(expected, pod.Spec.Containers[0].Ports[0].HostPort);
        Assert.Equal(expected, pod.Spec.InitContainers[0].Ports[0].HostPort);
    }

    [Fact]
    public void ApplyToTemplate_HostNetwork_HostPortsLeftAlone()
    {
        var template = new V1PodTemplateSpec
        {
            Spec = new V1PodSpec
            {
                HostNetwork = true,
                Containers = [new V1Container { Name = "c", Ports = [new V1ContainerPort { ContainerPort = 8080 }] }],
            },
        };

        PodDefaults.ApplyToTemplate(template);

        Assert.Null(template.Spec.Containers[0].Ports[0].HostPort);
    }

    [Fact]
    public void ApplyToTemplate_NullTemplate_NoOp() => PodDefaults.ApplyToTemplate(null);

    [Fact]
    public void Apply_EveryContainerKind_Defaulted()
    {
        var pod = Defaulted.Object<V1Pod>("""
            {"spec":{"initContainers":[{"name":"i","image":"busybox"}],
                     "containers":[{"name":"c","image":"nginx:1.25"}],
                     "ephemeralContainers":[{"name":"e","image":"busybox:1.36"}]}}
            """);

        Assert.Equal("Always", pod.Spec.InitContainers[0].ImagePullPolicy);
        Assert.Equal("IfNotPresent", pod.Spec.Containers[0].ImagePullPolicy);
        Assert.Equal("IfNotPresent", pod.Spec.EphemeralContainers[0].ImagePullPolicy);
        Assert.All([pod.Spec.InitContainers[0].TerminationMessagePolicy, pod.Spec.Containers[0].TerminationMessagePolicy,
            pod.Spec.EphemeralContainers[0].TerminationMessagePolicy], p => Assert.Equal("File", p));
    }

    [Fact]
    public void Apply_OverheadAndStatusResources_RoundedToMilli()
    {
        var pod = Defaulted.Json<V1Pod>("""
            {"spec":{"overhead":{"cpu":"0.0005"},"resources":{"limits":{"cpu":"1.0001"}}},
             "status":{"containerStatuses":[{"name":"c","image":"x","imageID":"","ready":true,"restartCount":0,
               "allocatedResources":{"cpu":"0.0001"},"resources":{"requests":{"cpu":"0.0002"}}}]}}
            """);

        Assert.Equal("1m", (string?)pod.At("spec.overhead.cpu"));
        Assert.Equal("1001m", (string?)pod.At("spec.resources.limits.cpu"));
        Assert.Equal("1m", (string?)pod.At("status.containerStatuses.0.allocatedResources.cpu"));
        Assert.Equal("1m", (string?)pod.At("status.containerStatuses.0.resources.requests.cpu"));
    }

    // What "kubectl run nginx --image=nginx:1.25" gets back from kube-apiserver v1.32, less what other admission
    // plugins (ServiceAccount) and the registry add.
    [Fact]
    public void Apply_KubectlRunPod_MatchesUpstreamWithAdmission()
    {
        var pod = Defaulted.Object<V1Pod>("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"nginx","labels":{"run":"nginx"}},
             "spec":{"containers":[{"name":"nginx","image":"nginx:1.25","resources":{}}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always"},
             "status":{}}
            """);
        PodAdmissionDefaults.ApplyTolerationSeconds(pod);
        Assert.Null(PodAdmissionDefaults.ApplyPriorityOnCreate(pod, []));

        JsonAssert.Equal("""
            {"containers":[{"image":"nginx:1.25","imagePullPolicy":"IfNotPresent","name":"nginx","resources":{},
               "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],
             "dnsPolicy":"ClusterFirst","enableServiceLinks":true,"preemptionPolicy":"PreemptLowerPriority","priority":0,
             "restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30,
             "tolerations":[
               {"effect":"NoExecute","key":"node.kubernetes.io/not-ready","operator":"Exists","tolerationSeconds":300},
               {"effect":"NoExecute","key":"node.kubernetes.io/unreachable","operator":"Exists","tolerationSeconds":300}]}
            """, JsonNode.Parse(KubernetesJson.Serialize(pod.Spec)));
    }
}
