namespace Flotilla.Storage;

public static class Revisions
{
    /// <summary>
    /// The revision a read or watch asked for, resolved against the store's state: 0 means the current revision; older
    /// than the compacted history fails with Compacted, newer than the current one with FutureRevision.
    /// </summary>
    public static long Resolve(long requested, long current, long compacted)
    {
        if (requested == 0)
        {
            return current;
        }

        if (requested < compacted)
        {
            throw StoreException.Compacted(requested, compacted);
        }

        return requested > current ? throw StoreException.FutureRevision(requested, current) : requested;
    }
}
