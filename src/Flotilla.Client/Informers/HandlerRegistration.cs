namespace Flotilla.Client.Informers;

/// <summary>A handler added to an informer: synced once it has been given every object of the informer's first list.</summary>
public sealed class HandlerRegistration
{
    private readonly Task _synced;

    internal HandlerRegistration(Task synced) => _synced = synced;

    public bool HasSynced => _synced.IsCompleted;

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.WaitAsync(cancellationToken);
}
