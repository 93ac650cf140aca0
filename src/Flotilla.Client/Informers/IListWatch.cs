namespace Flotilla.Client.Informers;

/// <summary>
/// The two calls a reflector makes (client-go's ListerWatcher). A watch ends normally when the server closes it;
/// it throws <see cref="k8s.Autorest.HttpOperationException"/> (410 when the resourceVersion is too old) when the
/// server refuses it.
/// </summary>
public interface IListWatch<T>
{
    Task<ListResult<T>> ListAsync(CancellationToken cancellationToken);

    IAsyncEnumerable<WatchEvent<T>> WatchAsync(string resourceVersion, CancellationToken cancellationToken);
}
