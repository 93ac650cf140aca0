namespace Flotilla.Storage;

public enum StoreError
{
    /// <summary>Create of a key that exists.</summary>
    KeyExists,
    /// <summary>Update or delete of a key that does not exist.</summary>
    NotFound,
    /// <summary>The key's mod revision is not the one the caller expected.</summary>
    Conflict,
    /// <summary>The revision asked for is older than the compacted history (HTTP 410 Gone at the API).</summary>
    Compacted,
    /// <summary>The revision asked for has not happened yet.</summary>
    FutureRevision,
    /// <summary>The value is larger than <see cref="StoreLimits.MaxValueBytes"/>.</summary>
    ValueTooLarge,
    /// <summary>The lease does not exist or has expired.</summary>
    LeaseNotFound,
    /// <summary>The store cannot be reached or cannot write (etcd down, disk full, store closed).</summary>
    Unavailable,
    /// <summary>The store's files are unreadable or of a format this build does not know.</summary>
    Corrupt,
    /// <summary>
    /// A value encrypted at rest cannot be read: its key is not configured, it fails authentication (tampered or moved
    /// to another key), or it is encrypted where the configuration expects none.
    /// </summary>
    Undecryptable,
}
