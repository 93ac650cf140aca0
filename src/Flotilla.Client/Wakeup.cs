namespace Flotilla.Client;

/// <summary>
/// A one-slot wake-up call: any number of <see cref="Set"/> calls wake the waiter once (a burst collapses into one
/// pass); a wait also ends after its timeout, on the given clock, so periodic work and prompted work share a loop.
/// </summary>
public sealed class Wakeup : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Set()
    {
        try
        {
            if (_signal.CurrentCount == 0)
            {
                _signal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // set already
        }
        catch (ObjectDisposedException)
        {
            // the waiter is gone
        }
    }

    /// <summary>True when woken by <see cref="Set"/>, false when the timeout passed first.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var woken = _signal.WaitAsync(waiting.Token);
        var timedOut = Task.Delay(timeout, time, waiting.Token);
        var first = await Task.WhenAny(woken, timedOut);
        await waiting.CancelAsync();
        await Task.WhenAll(woken, timedOut).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        cancellationToken.ThrowIfCancellationRequested();
        return first == woken && woken.IsCompletedSuccessfully;
    }

    public void Dispose() => _signal.Dispose();
}
