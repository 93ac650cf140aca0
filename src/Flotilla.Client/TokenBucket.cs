namespace Flotilla.Client;

/// <summary>
/// A token bucket that starts full and refills one token per <c>refillInterval</c> up to <c>burst</c>
/// (golang.org/x/time/rate as client-go's TryAccept uses it: a token is taken only when there is one). Its content is
/// kept as time in ticks, so refills add up exactly.
/// </summary>
public sealed class TokenBucket(int burst, TimeSpan refillInterval, DateTimeOffset now)
{
    private readonly long _capacity = burst * refillInterval.Ticks;
    private long _credit = burst * refillInterval.Ticks;
    private DateTimeOffset _last = now;

    public bool TryTake(DateTimeOffset now)
    {
        if (now > _last)
        {
            _credit = Math.Min(_capacity, _credit + (now - _last).Ticks);
            _last = now;
        }

        if (_credit < refillInterval.Ticks)
        {
            return false;
        }

        _credit -= refillInterval.Ticks;
        return true;
    }
}
