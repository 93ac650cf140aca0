using System.Text.Json.Serialization;

namespace Flotilla.ApiServer.Encryption;

/// <summary>A named key; <see cref="Secret"/> is its bytes in standard base64 (16, 24 or 32 bytes).</summary>
public sealed record KeyConfiguration
{
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("secret")]
    public string? Secret { get; init; }

    // Never print the secret (records print every property by default).
    public override string ToString() => $"KeyConfiguration {{ Name = {Name} }}";
}
