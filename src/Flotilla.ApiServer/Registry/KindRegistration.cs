using Flotilla.Storage;

namespace Flotilla.ApiServer.Registry;

/// <summary>What the registry needs to serve one kind: its strategy, how it is deleted, whether it expires.</summary>
public sealed record KindRegistration(
    IObjectStrategy Strategy,
    IDeletionPolicy? Deletion = null,
    Func<IStore, TimeProvider, IObjectTtl>? Ttl = null,
    IStorageHooks? Hooks = null);
