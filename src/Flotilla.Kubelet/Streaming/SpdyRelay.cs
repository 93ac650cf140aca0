using Flotilla.Kubelet.Streaming.Spdy;

namespace Flotilla.Kubelet.Streaming;

/// <summary>
/// Passes a client's SPDY session through to the runtime's (upstream's kubelet proxies them the same way): every
/// stream the client opens is opened on the runtime with the same headers, and bytes and half-closes go across both
/// ways. It ends when the client goes away, or when the runtime ends the session and what it sent has reached
/// the client.
/// </summary>
public static class SpdyRelay
{
    public static async Task RunAsync(SpdyConnection client, SpdyConnection runtime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(runtime);
        var toClient = new List<Task>();
        var accepting = Task.Run(
            async () =>
            {
                await foreach (var stream in client.Accepted.ReadAllAsync(cancellationToken))
                {
                    var pair = PairAsync(stream, runtime, cancellationToken);
                    lock (toClient)
                    {
                        toClient.Add(pair);
                    }
                }
            },
            cancellationToken);

        await Task.WhenAny(client.Completion, runtime.Completion, accepting);
        if (runtime.Completion.IsCompleted)
        {
            // The session is over on the runtime's side: what it sent still goes out before the client is closed.
            Task[] draining;
            lock (toClient)
            {
                draining = [.. toClient];
            }

            await Task.WhenAll(draining).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Opens the runtime's half of one stream and copies both ways; done when the runtime's side has ended.</summary>
    private static async Task PairAsync(SpdyStream client, SpdyConnection runtime, CancellationToken cancellationToken)
    {
        SpdyStream far;
        try
        {
            far = await runtime.OpenStreamAsync(client.Headers, cancellationToken);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            await Quietly(() => client.ResetAsync(CancellationToken.None));
            return;
        }

        // The runtime's end always reaches the client as a FIN: a reset could make it drop output not yet read.
        _ = CopyAsync(client, far, passReset: true, cancellationToken);
        await CopyAsync(far, client, passReset: false, cancellationToken);
    }

    /// <summary>Copies one direction until its end, which is passed on as a FIN (or, when asked, a reset as a reset).</summary>
    private static async Task CopyAsync(SpdyStream from, SpdyStream to, bool passReset, CancellationToken cancellationToken)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            await (passReset && from.Reset ? to.ResetAsync(cancellationToken) : to.CloseWriteAsync(cancellationToken));
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // One of the two connections ended: the session ends with it.
        }
    }

    private static async Task Quietly(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // Nothing left to tell.
        }
    }
}
