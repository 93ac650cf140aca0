using Flotilla.ApiServer.Patch;

namespace Flotilla.ApiServer.Tests.Patch;

/// <summary>The struct tags of upstream's MergeItem fixtures.</summary>
internal static class MergeItemTags
{
    public static PatchMetaTable Table { get; } = new(new Dictionary<(Type Owner, string Field), PatchTag>
    {
        [(typeof(MergeItem), "mergingList")] = new(PatchStrategy.Merge, "name"),
        [(typeof(MergeItem), "mergingIntList")] = new(PatchStrategy.Merge),
        [(typeof(MergeItem), "replacingItem")] = new(PatchStrategy.Replace),
        [(typeof(MergeItem), "retainKeysMap")] = new(PatchStrategy.RetainKeys),
        [(typeof(MergeItem), "retainKeysMergingList")] = new(PatchStrategy.Merge | PatchStrategy.RetainKeys, "name"),
        [(typeof(RetainKeysMergeItem), "mergingIntList")] = new(PatchStrategy.Merge),
        [(typeof(RetainKeysMergeItem), "mergingList")] = new(PatchStrategy.Merge, "name"),
    });
}
