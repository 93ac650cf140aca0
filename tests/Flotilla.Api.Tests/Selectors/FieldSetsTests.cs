using Flotilla.Api.Resources;
using Flotilla.Api.Selectors;
using k8s.Models;

namespace Flotilla.Api.Tests.Selectors;

public sealed class FieldSetsTests
{
    public static TheoryData<string, string, string[]> SupportedLabels => new()
    {
        {
            "", "pods",
            ["metadata.name", "metadata.namespace", "spec.host", "spec.hostNetwork", "spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
             "spec.serviceAccountName", "status.nominatedNodeName", "status.phase", "status.podIP"]
        },
        {
            "", "events",
            ["involvedObject.apiVersion", "involvedObject.fieldPath", "involvedObject.kind", "involvedObject.name", "involvedObject.namespace",
             "involvedObject.resourceVersion", "involvedObject.uid", "metadata.name", "metadata.namespace", "reason", "reportingComponent", "source", "type"]
        },
        { "", "nodes", ["metadata.name", "spec.unschedulable"] },
        { "", "namespaces", ["metadata.name", "status.phase"] },
        { "", "secrets", ["metadata.name", "metadata.namespace", "type"] },
        { "", "services", ["metadata.name", "metadata.namespace", "spec.clusterIP", "spec.type"] },
        { "", "replicationcontrollers", ["metadata.name", "metadata.namespace", "status.replicas"] },
        { "batch", "jobs", ["metadata.name", "metadata.namespace", "status.successful"] },
        { "apps", "replicasets", ["metadata.name", "metadata.namespace"] },
        { "apps", "statefulsets", ["metadata.name", "metadata.namespace"] },
        { "", "configmaps", ["metadata.name", "metadata.namespace"] },
        { "", "persistentvolumes", ["metadata.name", "metadata.namespace"] },
        { "rbac.authorization.k8s.io", "clusterroles", ["metadata.name", "metadata.namespace"] },
    };

    [Theory]
    [MemberData(nameof(SupportedLabels))]
    public void Supported_BuiltInKind_UpstreamLabels(string group, string plural, string[] expected) =>
        Assert.Equal(expected, FieldSets.Supported(Resource(group, plural)).Order(StringComparer.Ordinal));

    [Fact]
    public void Supported_EveryCatalogKind_HasMetadataName()
    {
        foreach (var resource in ResourceCatalog.Default.Resources)
        {
            Assert.Contains("metadata.name", FieldSets.Supported(resource));
        }
    }

    public static TheoryData<string, string, string, string> Unsupported => new()
    {
        { "", "pods", "foo=bar", "field label not supported: foo" },
        { "", "pods", "status.podIPs=10.0.0.1", "field label not supported: status.podIPs" },
        { "", "pods", "zeta=1,alpha=2", "field label not supported: alpha" },
        { "", "nodes", "metadata.namespace=default", "field label not supported: metadata.namespace" },
        { "", "namespaces", "metadata.namespace=default", "field label not supported: metadata.namespace" },
        { "batch", "jobs", "status.failed=1", "field label \"status.failed\" not supported for batchv1.Job" },
        { "apps", "replicasets", "status.replicas=0", "\"status.replicas\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"" },
        { "networking.k8s.io", "ingresses", "foo.bar=baz", "\"foo.bar\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"" },
    };

    [Theory]
    [MemberData(nameof(Unsupported))]
    public void TryConvert_UnsupportedLabel_UpstreamBadRequestMessage(string group, string plural, string selector, string message)
    {
        Assert.False(FieldSets.TryConvert(Resource(group, plural), FieldSelector.Parse(selector), out var converted, out var error));
        Assert.Null(converted);
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData("", "pods", "spec.host=node-1,status.phase!=Running", "spec.nodeName=node-1,status.phase!=Running")]
    [InlineData("", "events", "involvedObject.kind=Pod,type=Warning", "involvedObject.kind=Pod,type=Warning")]
    [InlineData("", "persistentvolumes", "metadata.namespace=", "metadata.namespace=")]
    [InlineData("", "configmaps", "", "")]
    public void TryConvert_SupportedLabels_CanonicalSelector(string group, string plural, string selector, string expected)
    {
        Assert.True(FieldSets.TryConvert(Resource(group, plural), FieldSelector.Parse(selector), out var converted, out var error));
        Assert.Null(error);
        Assert.Equal(expected, converted.ToString());
    }

    [Fact]
    public void For_Pod_AllUpstreamFields()
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web-0", NamespaceProperty = "prod" },
            Spec = new V1PodSpec
            {
                NodeName = "node-1",
                RestartPolicy = "Always",
                SchedulerName = "default-scheduler",
                ServiceAccountName = "web",
                HostNetwork = true,
            },
            Status = new V1PodStatus
            {
                Phase = "Running",
                PodIP = "10.0.0.9",
                PodIPs = [new V1PodIP { Ip = "10.0.0.7" }, new V1PodIP { Ip = "fd00::7" }],
                NominatedNodeName = "node-2",
            },
        };

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["metadata.name"] = "web-0",
                ["metadata.namespace"] = "prod",
                ["spec.nodeName"] = "node-1",
                ["spec.restartPolicy"] = "Always",
                ["spec.schedulerName"] = "default-scheduler",
                ["spec.serviceAccountName"] = "web",
                ["spec.hostNetwork"] = "true",
                ["status.phase"] = "Running",
                ["status.podIP"] = "10.0.0.7",
                ["status.nominatedNodeName"] = "node-2",
            },
            FieldSets.For(Resource("", "pods"), pod));
    }

    [Fact]
    public void For_BarePod_EmptyStringsAndFalse()
    {
        var fields = FieldSets.For(Resource("", "pods"), new V1Pod());

        Assert.Equal("false", fields["spec.hostNetwork"]);
        Assert.Equal(string.Empty, fields["spec.nodeName"]);
        Assert.Equal(string.Empty, fields["status.podIP"]);
        Assert.Equal(string.Empty, fields["metadata.namespace"]);
    }

    [Theory]
    [InlineData("10.0.0.9", null, "10.0.0.9")]
    [InlineData(null, "10.0.0.7", "10.0.0.7")]
    [InlineData("10.0.0.9", "10.0.0.7", "10.0.0.7")]
    public void For_PodIP_FirstOfPodIPsElsePodIP(string? podIP, string? firstPodIP, string expected)
    {
        var pod = new V1Pod { Status = new V1PodStatus { PodIP = podIP, PodIPs = firstPodIP is null ? null : [new V1PodIP { Ip = firstPodIP }] } };

        Assert.Equal(expected, FieldSets.For(Resource("", "pods"), pod)["status.podIP"]);
    }

    [Fact]
    public void For_PodWithDeprecatedServiceAccount_UsedAsServiceAccountName() =>
        Assert.Equal("old", FieldSets.For(Resource("", "pods"), new V1Pod { Spec = new V1PodSpec { ServiceAccount = "old" } })["spec.serviceAccountName"]);

    [Theory]
    [InlineData("kubelet", "kubelet-controller", "kubelet")]
    [InlineData(null, "deployment-controller", "deployment-controller")]
    [InlineData("", "deployment-controller", "deployment-controller")]
    public void For_Event_SourceFallsBackToReportingComponent(string? component, string reporting, string source)
    {
        var e = new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "web.1", NamespaceProperty = "prod" },
            InvolvedObject = new V1ObjectReference
            {
                Kind = "Pod", NamespaceProperty = "prod", Name = "web", Uid = "u-1", ApiVersion = "v1", ResourceVersion = "42", FieldPath = "spec.containers{web}",
            },
            Reason = "Pulled",
            ReportingComponent = reporting,
            Source = new V1EventSource { Component = component },
            Type = "Normal",
        };

        var fields = FieldSets.For(Resource("", "events"), e);

        Assert.Equal(source, fields["source"]);
        Assert.Equal(reporting, fields["reportingComponent"]);
        Assert.Equal("Pod", fields["involvedObject.kind"]);
        Assert.Equal("prod", fields["involvedObject.namespace"]);
        Assert.Equal("web", fields["involvedObject.name"]);
        Assert.Equal("u-1", fields["involvedObject.uid"]);
        Assert.Equal("v1", fields["involvedObject.apiVersion"]);
        Assert.Equal("42", fields["involvedObject.resourceVersion"]);
        Assert.Equal("spec.containers{web}", fields["involvedObject.fieldPath"]);
        Assert.Equal("Pulled", fields["reason"]);
        Assert.Equal("Normal", fields["type"]);
        Assert.Equal("prod", fields["metadata.namespace"]);
    }

    public static TheoryData<string, string, object, Dictionary<string, string>> OtherKinds => new()
    {
        {
            "", "nodes",
            new V1Node { Metadata = new V1ObjectMeta { Name = "n1" }, Spec = new V1NodeSpec { Unschedulable = true } },
            new() { ["metadata.name"] = "n1", ["spec.unschedulable"] = "true" }
        },
        { "", "nodes", new V1Node(), new() { ["metadata.name"] = "", ["spec.unschedulable"] = "false" } },
        {
            "", "namespaces",
            new V1Namespace { Metadata = new V1ObjectMeta { Name = "prod" }, Status = new V1NamespaceStatus { Phase = "Terminating" } },
            new() { ["metadata.name"] = "prod", ["status.phase"] = "Terminating" }
        },
        {
            "", "secrets",
            new V1Secret { Metadata = new V1ObjectMeta { Name = "tls", NamespaceProperty = "prod" }, Type = "kubernetes.io/tls" },
            new() { ["metadata.name"] = "tls", ["metadata.namespace"] = "prod", ["type"] = "kubernetes.io/tls" }
        },
        {
            "", "services",
            new V1Service { Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "prod" }, Spec = new V1ServiceSpec { ClusterIP = "None", Type = "ClusterIP" } },
            new() { ["metadata.name"] = "web", ["metadata.namespace"] = "prod", ["spec.clusterIP"] = "None", ["spec.type"] = "ClusterIP" }
        },
        {
            "", "replicationcontrollers",
            new V1ReplicationController { Metadata = new V1ObjectMeta { Name = "rc", NamespaceProperty = "prod" }, Status = new V1ReplicationControllerStatus { Replicas = 3 } },
            new() { ["metadata.name"] = "rc", ["metadata.namespace"] = "prod", ["status.replicas"] = "3" }
        },
        {
            "batch", "jobs",
            new V1Job { Metadata = new V1ObjectMeta { Name = "pi", NamespaceProperty = "prod" }, Status = new V1JobStatus { Succeeded = 12 } },
            new() { ["metadata.name"] = "pi", ["metadata.namespace"] = "prod", ["status.successful"] = "12" }
        },
        { "batch", "jobs", new V1Job(), new() { ["metadata.name"] = "", ["metadata.namespace"] = "", ["status.successful"] = "0" } },
        {
            "apps", "replicasets",
            new V1ReplicaSet { Metadata = new V1ObjectMeta { Name = "web-1", NamespaceProperty = "prod" }, Status = new V1ReplicaSetStatus { Replicas = 2 } },
            new() { ["metadata.name"] = "web-1", ["metadata.namespace"] = "prod" }
        },
        {
            "", "persistentvolumes",
            new V1PersistentVolume { Metadata = new V1ObjectMeta { Name = "pv-1" } },
            new() { ["metadata.name"] = "pv-1" }
        },
    };

    [Theory]
    [MemberData(nameof(OtherKinds))]
    public void For_Kind_UpstreamSelectableFields(string group, string plural, object model, Dictionary<string, string> expected) =>
        Assert.Equal(expected, FieldSets.For(Resource(group, plural), model));

    [Fact]
    public void For_WrongModelType_Throws() =>
        Assert.Throws<ArgumentException>(() => FieldSets.For(Resource("", "pods"), new V1Node()));

    [Theory]
    [InlineData("spec.nodeName=node-1", true)]
    [InlineData("spec.host=node-1", true)]
    [InlineData("spec.nodeName=", false)]
    [InlineData("status.phase!=Running,metadata.namespace=prod", true)]
    [InlineData("spec.hostNetwork=false", true)]
    [InlineData("spec.hostNetwork=true", false)]
    public void ParseConvertMatch_Pod_AsKubeApiserver(string selector, bool expected)
    {
        var pods = Resource("", "pods");
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web-0", NamespaceProperty = "prod" },
            Spec = new V1PodSpec { NodeName = "node-1" },
            Status = new V1PodStatus { Phase = "Pending" },
        };

        Assert.True(FieldSets.TryConvert(pods, FieldSelector.Parse(selector), out var converted, out _));
        Assert.Equal(expected, converted.Matches(FieldSets.For(pods, pod)));
    }

    private static ResourceInfo Resource(string group, string plural) =>
        ResourceCatalog.Default.Resources.Single(r => r.Group == group && r.Plural == plural);
}
