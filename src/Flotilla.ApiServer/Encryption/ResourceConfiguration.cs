using System.Text.Json.Serialization;

namespace Flotilla.ApiServer.Encryption;

/// <summary>Resources (<c>secrets</c>, <c>deployments.apps</c>, <c>*.apps</c>, <c>*.</c>, <c>*.*</c>) and their providers in order.</summary>
public sealed record ResourceConfiguration
{
    [JsonPropertyName("resources")]
    public IReadOnlyList<string>? Resources { get; init; }

    [JsonPropertyName("providers")]
    public IReadOnlyList<ProviderConfiguration>? Providers { get; init; }
}
