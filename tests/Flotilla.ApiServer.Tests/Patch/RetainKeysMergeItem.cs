using System.Text.Json.Serialization;

namespace Flotilla.ApiServer.Tests.Patch;

/// <summary>Upstream's RetainKeysMergeItem fixture: the value of a <c>retainKeys</c> field.</summary>
public sealed class RetainKeysMergeItem
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("value")]
    public string? Value { get; set; }

    [JsonPropertyName("other")]
    public string? Other { get; set; }

    [JsonPropertyName("simpleMap")]
    public IDictionary<string, string>? SimpleMap { get; set; }

    [JsonPropertyName("mergingIntList")]
    public IList<int>? MergingIntList { get; set; }

    [JsonPropertyName("mergingList")]
    public IList<MergeItem>? MergingList { get; set; }

    [JsonPropertyName("nonMergingList")]
    public IList<MergeItem>? NonMergingList { get; set; }
}
