using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Flotilla.Client.Informers;

/// <summary>
/// Any object, read for its type and metadata only (upstream's PartialObjectMetadata): what a controller that handles
/// every kind — the garbage collector — keeps in its caches. The rest of each object is dropped as it is decoded.
/// </summary>
public sealed class ObjectMetadata : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = string.Empty;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = string.Empty;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();
}
