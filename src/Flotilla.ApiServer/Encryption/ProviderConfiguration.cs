using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Flotilla.ApiServer.Encryption;

/// <summary>
/// Exactly one provider. Flotilla implements <c>aesgcm</c> and <c>identity</c>; <c>aescbc</c>, <c>secretbox</c> and
/// <c>kms</c> are recognised so that a file using them is refused by name rather than as unknown fields.
/// </summary>
public sealed record ProviderConfiguration
{
    [JsonPropertyName("aesgcm")]
    public AesConfiguration? AesGcm { get; init; }

    [JsonPropertyName("identity")]
    public JsonObject? Identity { get; init; }

    [JsonPropertyName("aescbc")]
    public JsonNode? AesCbc { get; init; }

    [JsonPropertyName("secretbox")]
    public JsonNode? Secretbox { get; init; }

    [JsonPropertyName("kms")]
    public JsonNode? Kms { get; init; }
}
