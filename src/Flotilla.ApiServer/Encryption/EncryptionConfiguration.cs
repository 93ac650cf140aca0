using System.Text.Json.Serialization;

namespace Flotilla.ApiServer.Encryption;

/// <summary>
/// kube-apiserver's <c>--encryption-provider-config</c> file (<c>apiserver.config.k8s.io/v1</c>, kind
/// <c>EncryptionConfiguration</c>): for each list of resources, the providers that write (the first) and read (all).
/// </summary>
public sealed record EncryptionConfiguration
{
    public const string V1 = "apiserver.config.k8s.io/v1";
    public const string KindName = "EncryptionConfiguration";

    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; init; }

    [JsonPropertyName("kind")]
    public string? Kind { get; init; }

    [JsonPropertyName("resources")]
    public IReadOnlyList<ResourceConfiguration>? Resources { get; init; }
}
