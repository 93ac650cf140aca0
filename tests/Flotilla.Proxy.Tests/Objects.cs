using k8s.Models;

namespace Flotilla.Proxy.Tests;

/// <summary>Services and EndpointSlices as the API server holds them, for the proxy's tests.</summary>
internal static class Objects
{
    public static V1Service Service(string name, string clusterIp, int port = 80, int targetPort = 8080, string type = "ClusterIP", int? nodePort = null, string ns = "default", string portName = "http", string protocol = "TCP") =>
        new()
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            Spec = new V1ServiceSpec
            {
                Type = type,
                ClusterIP = clusterIp,
                ClusterIPs = [clusterIp],
                Ports = [new V1ServicePort { Name = portName, Port = port, TargetPort = targetPort, Protocol = protocol, NodePort = nodePort }],
                SessionAffinity = "None",
                ExternalTrafficPolicy = type is "NodePort" or "LoadBalancer" ? "Cluster" : null,
                InternalTrafficPolicy = "Cluster",
            },
        };

    public static V1EndpointSlice Slice(string service, int port, params (string Ip, string Node, bool? Ready)[] endpoints) => Slice(service, port, "default", "http", endpoints);

    public static V1EndpointSlice Slice(string service, int port, string ns, string portName, params (string Ip, string Node, bool? Ready)[] endpoints) =>
        new()
        {
            Metadata = new V1ObjectMeta { Name = service + "-" + Guid.NewGuid().ToString("N")[..5], NamespaceProperty = ns, Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = service } },
            AddressType = "IPv4",
            Ports = [new Discoveryv1EndpointPort { Name = portName, Port = port, Protocol = "TCP" }],
            Endpoints = [.. endpoints.Select(e => new V1Endpoint
            {
                Addresses = [e.Ip],
                NodeName = e.Node,
                Conditions = e.Ready is null ? null : new V1EndpointConditions { Ready = e.Ready, Serving = e.Ready, Terminating = false },
            })],
        };
}
