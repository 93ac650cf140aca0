using System.Runtime.CompilerServices;
using Flotilla.Client.Informers;

namespace Flotilla.Client.Tests.Informers;

/// <summary>
/// Wraps a real list-watch and breaks its watches at random: a stream ends or fails (connection reset) after a few
/// events, and — with <c>expireChance</c> — a watch waits for <c>lag</c> first, long enough for the server's watch
/// cache to have moved past its resourceVersion, so the server answers 410 Expired.
/// </summary>
internal sealed class ChaosListWatch<T>(IListWatch<T> inner, Random random, double expireChance = 0, Func<CancellationToken, Task>? lag = null) : IListWatch<T>
{
    private int _lists;
    private int _watches;
    private int _drops;

    public int Lists => _lists;

    public int Watches => _watches;

    public int Drops => _drops;

    public Task<ListResult<T>> ListAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _lists);
        return inner.ListAsync(cancellationToken);
    }

    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync(string resourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _watches);
        int cut;
        bool fail;
        bool late;
        lock (random)
        {
            late = random.NextDouble() < expireChance;
            cut = random.Next(1, 25);
            fail = random.Next(2) == 0;
        }

        if (late && lag is not null)
        {
            await lag(cancellationToken);
        }

        var seen = 0;
        await foreach (var e in inner.WatchAsync(resourceVersion, cancellationToken))
        {
            yield return e;
            if (++seen >= cut)
            {
                Interlocked.Increment(ref _drops);
                if (fail)
                {
                    throw new IOException("connection reset (forced by the test)");
                }

                yield break;
            }
        }
    }
}
