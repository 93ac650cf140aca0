using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Flotilla.Api.Metrics;

/// <summary>metrics.k8s.io/v1beta1 NodeMetrics (metrics-server's): a node's CPU and memory over a window ending at a time.</summary>
[KubernetesEntity(Group = "metrics.k8s.io", Kind = "NodeMetrics", ApiVersion = "v1beta1", PluralName = "nodes")]
public sealed class V1Beta1NodeMetrics : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "metrics.k8s.io/v1beta1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "NodeMetrics";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("timestamp")]
    public DateTime? Timestamp { get; set; }

    /// <summary>A Go duration: <c>15.021s</c>.</summary>
    [JsonPropertyName("window")]
    public string? Window { get; set; }

    [JsonPropertyName("usage")]
    public IDictionary<string, ResourceQuantity> Usage { get; set; } = new Dictionary<string, ResourceQuantity>();
}

/// <summary>metrics.k8s.io/v1beta1 PodMetrics: each container's CPU and memory over a window ending at a time.</summary>
[KubernetesEntity(Group = "metrics.k8s.io", Kind = "PodMetrics", ApiVersion = "v1beta1", PluralName = "pods")]
public sealed class V1Beta1PodMetrics : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "metrics.k8s.io/v1beta1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "PodMetrics";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("timestamp")]
    public DateTime? Timestamp { get; set; }

    [JsonPropertyName("window")]
    public string? Window { get; set; }

    [JsonPropertyName("containers")]
    public IList<ContainerMetrics> Containers { get; set; } = [];
}
