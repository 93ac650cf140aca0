namespace Flotilla.Client.Events;

/// <summary>
/// Names for new Events: the involved object's name and the time in Unix nanoseconds, in hex (as client-go). The
/// times handed out only increase, so two events about one object within one clock tick still get different names.
/// </summary>
internal sealed class EventNames
{
    private long _last;

    public string Next(string? involvedName, DateTimeOffset at)
    {
        var nanos = (at - DateTimeOffset.UnixEpoch).Ticks * 100;
        long last, next;
        do
        {
            last = Interlocked.Read(ref _last);
            next = Math.Max(nanos, last + 1);
        }
        while (Interlocked.CompareExchange(ref _last, next, last) != last);

        return $"{involvedName}.{next:x}";
    }
}
