using Flotilla.ApiServer.Registry.Validation.Core;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Validation.Core;

/// <summary>Namespaces, nodes, endpoints and events.</summary>
public sealed class ClusterObjectValidationTests
{
    [Theory]
    [InlineData("kubernetes", null)]
    [InlineData("example.com/cleanup", null)]
    [InlineData("cleanup", "spec.finalizers: Invalid value: \"cleanup\": name is neither a standard finalizer name nor is it fully qualified")]
    public void Validate_NamespaceFinalizer_StandardOrQualified(string finalizer, string? expected)
    {
        var ns = new V1Namespace { Metadata = new V1ObjectMeta { Name = "team" }, Spec = new V1NamespaceSpec { Finalizers = [finalizer] } };

        Errors.Equal(NamespaceValidation.Validate(ns), expected is null ? [] : [expected]);
    }

    [Fact]
    public void Validate_NodeTaints_ReportedUnderMetadata()
    {
        var node = new V1Node
        {
            Metadata = new V1ObjectMeta { Name = "node-1" },
            Spec = new V1NodeSpec
            {
                Taints = [new V1Taint { Key = "dedicated", Value = "gpu", Effect = "NoSchedule" }, new V1Taint { Key = "dedicated", Value = "db", Effect = "NoSchedule" }, new V1Taint { Key = "x" }],
            },
        };

        Errors.Equal(
            NodeValidation.Validate(node),
            "metadata.taints[1]: Duplicate value: core.Taint{Key:\"dedicated\", Value:\"db\", Effect:\"NoSchedule\", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair",
            "metadata.taints[2].effect: Required value");
    }

    [Fact]
    public void Validate_NodePodCidrs_ValidAndOnePerFamily()
    {
        var node = new V1Node { Metadata = new V1ObjectMeta { Name = "node-1" }, Spec = new V1NodeSpec { PodCIDRs = ["10.0.0.0/24", "10.1.0.0/24"] } };

        Errors.Equal(NodeValidation.Validate(node), "spec.podCIDRs: Invalid value: []string{\"10.0.0.0/24\", \"10.1.0.0/24\"}: may specify no more than one CIDR for each IP family");
    }

    [Fact]
    public void ValidateUpdate_NodePodCidrAndProvider_SetOnce()
    {
        var old = new V1Node { Metadata = new V1ObjectMeta { Name = "node-1" }, Spec = new V1NodeSpec { PodCIDRs = ["10.0.0.0/24"], ProviderID = "aws://a" } };
        var node = new V1Node { Metadata = new V1ObjectMeta { Name = "node-1" }, Spec = new V1NodeSpec { PodCIDRs = ["10.0.1.0/24"], ProviderID = "aws://b", Unschedulable = true } };

        Errors.Equal(
            NodeValidation.ValidateUpdate(node, old),
            "spec.podCIDRs: Forbidden: node updates may not change podCIDR except from \"\" to valid",
            "spec.providerID: Forbidden: node updates may not change providerID except from \"\" to valid");
    }

    [Fact]
    public void Validate_EndpointsSubsets_UpstreamErrors()
    {
        var endpoints = new V1Endpoints
        {
            Metadata = ValidObjects.Meta(),
            Subsets =
            [
                new V1EndpointSubset(),
                new V1EndpointSubset
                {
                    Addresses = [new V1EndpointAddress { Ip = "10.0.0.1" }, new V1EndpointAddress { Ip = "127.0.0.1" }],
                    Ports = [new Corev1EndpointPort { Port = 80 }, new Corev1EndpointPort { Name = "b", Port = 0 }],
                },
            ],
        };

        Errors.Equal(
            EndpointsValidation.Validate(endpoints),
            "subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`",
            "subsets[1].addresses[1].ip: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)",
            "subsets[1].ports[0].name: Required value",
            $"subsets[1].ports[1].port: Invalid value: 0: {Messages.PortRange}");
    }

    [Fact]
    public void Validate_OldStyleEventInOtherNamespace_Rejected()
    {
        var evt = new Corev1Event { Metadata = ValidObjects.Meta("e"), InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = "web", NamespaceProperty = "other" } };

        Errors.Equal(EventValidation.Validate(evt), "involvedObject.namespace: Invalid value: \"other\": does not match event.namespace");
    }

    [Fact]
    public void Validate_NewStyleEventWithoutReporter_Required()
    {
        var evt = new Corev1Event
        {
            Metadata = ValidObjects.Meta("e"),
            EventTime = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = "web", NamespaceProperty = "default" },
            Action = "Scheduled",
            Reason = "Scheduled",
        };

        Errors.Equal(
            EventValidation.Validate(evt),
            "reportingComponent: Required value",
            "reportingComponent: Invalid value: \"\": name part must be non-empty",
            $"reportingComponent: Invalid value: \"\": {Messages.QualifiedNamePart}",
            "reportingInstance: Required value");
    }
}
