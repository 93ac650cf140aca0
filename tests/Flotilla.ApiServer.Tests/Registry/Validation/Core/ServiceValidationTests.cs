using Flotilla.ApiServer.Registry.Validation.Core;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Validation.Core;

/// <summary>Upstream's TestValidateService and TestValidateServiceUpdate, the cases kubectl users meet.</summary>
public sealed class ServiceValidationTests
{
    public static TheoryData<Case<V1Service>> Cases => new()
    {
        new("no ports", s => s.Spec.Ports = [], "spec.ports: Required value"),
        new("headless without ports", s => { s.Spec.Ports = []; s.Spec.ClusterIP = "None"; }),
        new("port 0", s => s.Spec.Ports[0].Port = 0, $"spec.ports[0].port: Invalid value: 0: {Messages.PortRange}"),
        new("port too high", s => s.Spec.Ports[0].Port = 65536, $"spec.ports[0].port: Invalid value: 65536: {Messages.PortRange}"),
        new("protocol", s => s.Spec.Ports[0].Protocol = "HTTP", "spec.ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\""),
        new("names required with two ports", s => s.Spec.Ports.Add(new V1ServicePort { Name = "b", Port = 81 }), "spec.ports[0].name: Required value"),
        new("duplicate names", s =>
        {
            s.Spec.Ports[0].Name = "web";
            s.Spec.Ports.Add(new V1ServicePort { Name = "web", Port = 81 });
        }, "spec.ports[1].name: Duplicate value: \"web\""),
        new("duplicate port", s =>
        {
            s.Spec.Ports[0].Name = "a";
            s.Spec.Ports.Add(new V1ServicePort { Name = "b", Port = 80, Protocol = "TCP" });
        }, "spec.ports[1]: Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}"),
        new("same port, other protocol", s =>
        {
            s.Spec.Ports[0].Name = "a";
            s.Spec.Ports.Add(new V1ServicePort { Name = "b", Port = 80, Protocol = "UDP" });
        }),
        new("port name", s => s.Spec.Ports[0].Name = "Web", $"spec.ports[0].name: Invalid value: \"Web\": {Messages.Dns1123Label}"),
        new("target port 0 is defaulted", s => s.Spec.Ports[0].TargetPort = 0),
        new("target port name", s => s.Spec.Ports[0].TargetPort = "Web_1", "spec.ports[0].targetPort: Invalid value: \"Web_1\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"),
        new("target port out of range", s => s.Spec.Ports[0].TargetPort = 70000, $"spec.ports[0].targetPort: Invalid value: 70000: {Messages.PortRange}"),
        new("type", s => s.Spec.Type = "Public", "spec.type: Unsupported value: \"Public\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""),
        new("node port on ClusterIP", s => s.Spec.Ports[0].NodePort = 30080, "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"),
        new("duplicate node ports", s =>
        {
            s.Spec.Type = "NodePort";
            s.Spec.Ports = [new V1ServicePort { Name = "a", Port = 80, NodePort = 30080 }, new V1ServicePort { Name = "b", Port = 81, NodePort = 30080 }];
        }, "spec.ports[1].nodePort: Duplicate value: 30080"),
        new("cluster IP", s => s.Spec.ClusterIP = "10.0.0.300", $"spec.clusterIPs[0]: Invalid value: \"10.0.0.300\": {Messages.IpAddress}"),
        new("cluster IPs disagree", s => { s.Spec.ClusterIP = "10.0.0.1"; s.Spec.ClusterIPs = ["10.0.0.2"]; }, "spec.clusterIPs: Invalid value: []string{\"10.0.0.2\"}: first value must match `clusterIP`"),
        new("two IPv4 cluster IPs", s => { s.Spec.ClusterIP = "10.0.0.1"; s.Spec.ClusterIPs = ["10.0.0.1", "10.0.0.2"]; }, "spec.clusterIPs: Invalid value: []string{\"10.0.0.1\", \"10.0.0.2\"}: may specify no more than one IP for each IP family"),
        new("dual stack", s => { s.Spec.ClusterIP = "10.0.0.1"; s.Spec.ClusterIPs = ["10.0.0.1", "fd00::1"]; s.Spec.IpFamilies = ["IPv4", "IPv6"]; }),
        new("family mismatch", s => { s.Spec.ClusterIP = "fd00::1"; s.Spec.IpFamilies = ["IPv4"]; }, "spec.clusterIPs[0]: Invalid value: \"fd00::1\": expected an IPv4 value as indicated by `ipFamilies[0]`"),
        new("ip family", s => s.Spec.IpFamilies = ["IPv5"], "spec.ipFamilies[0]: Unsupported value: \"IPv5\": supported values: \"IPv4\", \"IPv6\""),
        new("headless LoadBalancer", s => { s.Spec.Type = "LoadBalancer"; s.Spec.ClusterIP = "None"; }, "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for LoadBalancer services"),
        new("ExternalName without name", s => { s.Spec.Type = "ExternalName"; s.Spec.Ports = []; }, "spec.externalName: Required value"),
        new("ExternalName with a bad name", s => { s.Spec.Type = "ExternalName"; s.Spec.ExternalName = "Example.com"; }, $"spec.externalName: Invalid value: \"Example.com\": {Messages.Dns1123Subdomain}"),
        new("ExternalName with trailing dot", s => { s.Spec.Type = "ExternalName"; s.Spec.ExternalName = "db.example.com."; }),
        new("ExternalName with cluster IP", s => { s.Spec.Type = "ExternalName"; s.Spec.ExternalName = "db.example.com"; s.Spec.ClusterIP = "10.0.0.1"; }, "spec.clusterIPs: Forbidden: may not be set for ExternalName services"),
        new("session affinity", s => s.Spec.SessionAffinity = "Cookie", "spec.sessionAffinity: Unsupported value: \"Cookie\": supported values: \"ClientIP\", \"None\""),
        new("ClientIP timeout", s =>
        {
            s.Spec.SessionAffinity = "ClientIP";
            s.Spec.SessionAffinityConfig = new V1SessionAffinityConfig { ClientIP = new V1ClientIPConfig { TimeoutSeconds = 0 } };
        }, "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400"),
        new("affinity config without affinity", s => s.Spec.SessionAffinityConfig = new V1SessionAffinityConfig(), "spec.sessionAffinityConfig: Forbidden: must not be set when session affinity is None"),
        new("selector value", s => s.Spec.Selector["app"] = "web!", $"spec.selector: Invalid value: \"web!\": {Messages.LabelValue}"),
        new("external IP", s => s.Spec.ExternalIPs = ["127.0.0.1"], "spec.externalIPs[0]: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)"),
        new("source ranges on ClusterIP", s => s.Spec.LoadBalancerSourceRanges = ["10.0.0.0/8"], "spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'"),
        new("source range", s => { s.Spec.Type = "LoadBalancer"; s.Spec.LoadBalancerSourceRanges = ["10.0.0.0/33"]; }, "spec.LoadBalancerSourceRanges[0]: Invalid value: \"10.0.0.0/33\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"),
        new("external traffic policy on ClusterIP", s => s.Spec.ExternalTrafficPolicy = "Local", "spec.externalTrafficPolicy: Invalid value: \"Local\": may only be set for externally-accessible services"),
        new("external traffic policy", s => { s.Spec.Type = "NodePort"; s.Spec.ExternalTrafficPolicy = "Nearest"; }, "spec.externalTrafficPolicy: Unsupported value: \"Nearest\": supported values: \"Cluster\", \"Local\""),
        new("health check port without Local", s => { s.Spec.Type = "LoadBalancer"; s.Spec.HealthCheckNodePort = 31000; }, "spec.healthCheckNodePort: Invalid value: 31000: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"),
        new("internal traffic policy", s => s.Spec.InternalTrafficPolicy = "Node", "spec.internalTrafficPolicy: Unsupported value: \"Node\": supported values: \"Cluster\", \"Local\""),
        new("load balancer class on ClusterIP", s => s.Spec.LoadBalancerClass = "example.com/lb", "spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'"),
        new("allocate node ports on ClusterIP", s => s.Spec.AllocateLoadBalancerNodePorts = true, "spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'"),
        new("traffic distribution", s => s.Spec.TrafficDistribution = "Random", "spec.trafficDistribution: Unsupported value: \"Random\": supported values: \"PreferClose\""),
    };

    public static TheoryData<Case<V1Service>> UpdateCases => new()
    {
        new("same cluster IP", _ => { }),
        new("cluster IP left out", s => { s.Spec.ClusterIP = null; s.Spec.ClusterIPs = null; }),
        new("new cluster IP", s => { s.Spec.ClusterIP = "10.0.0.2"; s.Spec.ClusterIPs = ["10.0.0.2"]; }, "spec.clusterIPs[0]: Invalid value: []string{\"10.0.0.2\"}: may not change once set"),
        new("added secondary IP", s => { s.Spec.ClusterIPs = ["10.0.0.1", "fd00::1"]; s.Spec.IpFamilies = ["IPv4", "IPv6"]; s.Spec.IpFamilyPolicy = "PreferDualStack"; }),
        new("to ExternalName", s => { s.Spec.Type = "ExternalName"; s.Spec.ExternalName = "db.example.com"; s.Spec.ClusterIP = null; s.Spec.ClusterIPs = null; s.Spec.IpFamilies = null; }),
    };

    [Fact]
    public void Validate_ValidService_NoErrors() => Errors.Equal(ServiceValidation.Validate(ValidObjects.Service()));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_BrokenService_UpstreamErrors(Case<V1Service> row)
    {
        var service = ValidObjects.Service();
        row.Break(service);

        Errors.Equal(ServiceValidation.Validate(service), row.Expected);
    }

    [Theory]
    [MemberData(nameof(UpdateCases))]
    public void ValidateUpdate_ClusterIps_FixedOnceSet(Case<V1Service> row)
    {
        var old = ValidObjects.Service();
        old.Spec.ClusterIP = "10.0.0.1";
        old.Spec.ClusterIPs = ["10.0.0.1"];
        old.Spec.IpFamilies = ["IPv4"];
        var service = ValidObjects.Service();
        service.Spec.ClusterIP = "10.0.0.1";
        service.Spec.ClusterIPs = ["10.0.0.1"];
        service.Spec.IpFamilies = ["IPv4"];
        row.Break(service);

        Errors.Equal(ServiceValidation.ValidateUpdate(service, old), row.Expected);
    }
}
