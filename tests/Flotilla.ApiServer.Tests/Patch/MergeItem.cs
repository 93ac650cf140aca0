using System.Text.Json.Serialization;

namespace Flotilla.ApiServer.Tests.Patch;

/// <summary>The fixture type of upstream's strategicpatch tests (patch_test.go's MergeItem), tagged by <see cref="MergeItemTags"/>.</summary>
public sealed class MergeItem
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("value")]
    public string? Value { get; set; }

    [JsonPropertyName("other")]
    public string? Other { get; set; }

    [JsonPropertyName("mergingList")]
    public IList<MergeItem>? MergingList { get; set; }

    [JsonPropertyName("nonMergingList")]
    public IList<MergeItem>? NonMergingList { get; set; }

    [JsonPropertyName("mergingIntList")]
    public IList<int>? MergingIntList { get; set; }

    [JsonPropertyName("nonMergingIntList")]
    public IList<int>? NonMergingIntList { get; set; }

    [JsonPropertyName("simpleMap")]
    public IDictionary<string, string>? SimpleMap { get; set; }

    [JsonPropertyName("replacingItem")]
    public object? ReplacingItem { get; set; }

    [JsonPropertyName("retainKeysMap")]
    public RetainKeysMergeItem? RetainKeysMap { get; set; }

    [JsonPropertyName("retainKeysMergingList")]
    public IList<MergeItem>? RetainKeysMergingList { get; set; }
}
