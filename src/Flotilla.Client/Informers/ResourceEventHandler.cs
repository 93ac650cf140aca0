namespace Flotilla.Client.Informers;

/// <summary>
/// Callbacks for one informer's changes, each called in order on the handler's own dispatcher (a slow handler delays
/// only itself). <see cref="Filter"/> narrows the objects seen as client-go's FilteringResourceEventHandler does: an
/// update that makes an object pass is an add, one that makes it stop passing is a delete.
/// </summary>
public sealed record ResourceEventHandler<T>
{
    /// <summary>A new object; the flag is true while the informer delivers its initial list.</summary>
    public Action<T, bool>? OnAdd { get; init; }

    /// <summary>Old and new state (the same object on a resync).</summary>
    public Action<T, T>? OnUpdate { get; init; }

    /// <summary>The object's last state.</summary>
    public Action<T>? OnDelete { get; init; }

    public Func<T, bool>? Filter { get; init; }
}
