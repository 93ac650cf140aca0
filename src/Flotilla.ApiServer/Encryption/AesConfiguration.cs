using System.Text.Json.Serialization;

namespace Flotilla.ApiServer.Encryption;

/// <summary>An AES provider's keys: the first encrypts, all decrypt.</summary>
public sealed record AesConfiguration
{
    [JsonPropertyName("keys")]
    public IReadOnlyList<KeyConfiguration>? Keys { get; init; }
}
