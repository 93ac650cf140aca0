namespace Flotilla.ApiServer.Patch;

/// <summary>Upstream's <c>patchStrategy</c> struct tag; <c>merge,retainKeys</c> is <see cref="Merge"/> | <see cref="RetainKeys"/>.</summary>
[Flags]
public enum PatchStrategy
{
    None = 0,

    /// <summary>Lists merge item by item (by <c>patchMergeKey</c>, or as a set of primitives).</summary>
    Merge = 1,

    /// <summary>The patch value replaces the field whole.</summary>
    Replace = 2,

    /// <summary>The patch may carry <c>$retainKeys</c>: keys of the live map not listed are cleared.</summary>
    RetainKeys = 4,
}
