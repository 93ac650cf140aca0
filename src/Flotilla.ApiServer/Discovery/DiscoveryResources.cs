using Flotilla.Api.Resources;

namespace Flotilla.ApiServer.Discovery;

/// <summary>What discovery says about a resource's subresources (their verbs and response kinds), shared by both formats.</summary>
public static class DiscoveryResources
{
    public static IReadOnlyList<string> Verbs(ResourceInfo resource, string subresource) => subresource switch
    {
        "binding" or "token" => ["create"],
        "finalize" => ["update"],
        "log" => ["get"],
        "exec" or "attach" or "portforward" => ["create", "get"],
        "proxy" => ["create", "delete", "get", "patch", "update"],
        _ => ["get", "patch", "update"],
    };

    /// <summary>The (group, version, kind) a subresource answers with: Scale for scale, Binding for binding, TokenRequest for token, else the kind itself.</summary>
    public static (string Group, string Version, string Kind) ResponseKind(ResourceInfo resource, string subresource) => subresource switch
    {
        "scale" => ("autoscaling", "v1", "Scale"),
        "binding" => (string.Empty, "v1", "Binding"),
        "token" => ("authentication.k8s.io", "v1", "TokenRequest"),
        "proxy" => (string.Empty, "v1", "NodeProxyOptions"),
        "exec" => (string.Empty, "v1", "PodExecOptions"),
        "attach" => (string.Empty, "v1", "PodAttachOptions"),
        "portforward" => (string.Empty, "v1", "PodPortForwardOptions"),
        _ => (resource.Group, resource.Version, resource.Kind),
    };
}
