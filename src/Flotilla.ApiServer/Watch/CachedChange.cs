using Flotilla.ApiServer.Registry;

namespace Flotilla.ApiServer.Watch;

/// <summary>A change in the watch cache: the object after it (for a deletion, its last version at the deletion's revision) and before it.</summary>
public sealed record CachedChange(ChangeType Type, CachedObject Object, CachedObject? Previous)
{
    public long Revision => Object.Revision;
}
