using Flotilla.ApiServer.Registry.Validation.Networking;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Validation.Networking;

/// <summary>Upstream's TestValidateNetworkPolicy.</summary>
public sealed class NetworkPolicyValidationTests
{
    public static TheoryData<Case<V1NetworkPolicy>> Cases => new()
    {
        new("valid", _ => { }),
        new("peer without selector", p => p.Spec.Ingress[0].FromProperty = [new V1NetworkPolicyPeer()], "spec.ingress[0].from[0]: Required value: must specify a peer"),
        new("ipBlock with selector", p => p.Spec.Ingress[0].FromProperty = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "10.0.0.0/8" }, PodSelector = new V1LabelSelector() }], "spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer"),
        new("cidr", p => p.Spec.Ingress[0].FromProperty = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "10.0.0.0" } }], "spec.ingress[0].from[0].ipBlock.cidr: Invalid value: \"10.0.0.0\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"),
        new("except outside cidr", p => p.Spec.Ingress[0].FromProperty = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "10.0.0.0/16", Except = ["10.1.0.0/24"] } }], "spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: \"10.1.0.0/24\": must be a strict subset of `cidr`"),
        new("protocol", p => p.Spec.Ingress[0].Ports = [new V1NetworkPolicyPort { Protocol = "ICMP", Port = 80 }], "spec.ingress[0].ports[0].protocol: Unsupported value: \"ICMP\": supported values: \"TCP\", \"UDP\", \"SCTP\""),
        new("end port below port", p => p.Spec.Ingress[0].Ports = [new V1NetworkPolicyPort { Port = 100, EndPort = 90 }], "spec.ingress[0].ports[0].endPort: Invalid value: 90: must be greater than or equal to `port`"),
        new("end port with named port", p => p.Spec.Ingress[0].Ports = [new V1NetworkPolicyPort { Port = "http", EndPort = 90 }], "spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric"),
        new("policy type", p => p.Spec.PolicyTypes = ["Inbound"], "spec.policyTypes[0]: Unsupported value: \"Inbound\": supported values: \"Ingress\", \"Egress\""),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_NetworkPolicy_UpstreamErrors(Case<V1NetworkPolicy> row)
    {
        var policy = new V1NetworkPolicy
        {
            Metadata = ValidObjects.Meta(),
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = ValidObjects.Selector(),
                Ingress = [new V1NetworkPolicyIngressRule { FromProperty = [new V1NetworkPolicyPeer { NamespaceSelector = new V1LabelSelector() }], Ports = [new V1NetworkPolicyPort { Port = 80 }] }],
            },
        };
        row.Break(policy);

        Errors.Equal(NetworkPolicyValidation.Validate(policy), row.Expected);
    }
}
