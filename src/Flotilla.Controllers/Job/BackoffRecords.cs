using System.Collections.Concurrent;
using k8s.Models;

namespace Flotilla.Controllers.Job;

/// <summary>Failures since a job's last success, and when the last one finished.</summary>
public sealed record BackoffRecord(int FailuresAfterLastSuccess, DateTimeOffset? LastFailureTime)
{
    public static readonly BackoffRecord None = new(0, null);

    /// <summary>How long pod creation still waits: 10 s doubling per failure, at most 10 min, from the last failure.</summary>
    public TimeSpan Remaining(DateTimeOffset now)
    {
        if (FailuresAfterLastSuccess == 0 || LastFailureTime is not { } last)
        {
            return TimeSpan.Zero;
        }

        var delay = BackoffRecords.Initial;
        for (var i = 1; i < FailuresAfterLastSuccess; i++)
        {
            delay *= 2;
            if (delay >= BackoffRecords.Max)
            {
                delay = BackoffRecords.Max;
                break;
            }
        }

        var left = delay - (now - last);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}

/// <summary>
/// The back-off between a job's pod re-creations (upstream's backoffStore): in memory, kept only once the status
/// that counted the pods is written.
/// </summary>
public sealed class BackoffRecords
{
    public static readonly TimeSpan Initial = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Max = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, BackoffRecord> _records = new(StringComparer.Ordinal);

    /// <summary>The record after the newly finished pods: failures add up; a success resets, keeping the failures after it.</summary>
    public BackoffRecord Next(string key, IReadOnlyList<V1Pod> newSucceeded, IReadOnlyList<V1Pod> newFailed)
    {
        var record = _records.TryGetValue(key, out var old) ? old : BackoffRecord.None;
        var failed = newFailed.Select(JobPods.FinishTime).Order().ToList();
        if (newSucceeded.Count == 0)
        {
            return failed.Count == 0 ? record : new BackoffRecord(record.FailuresAfterLastSuccess + failed.Count, failed[^1]);
        }

        var lastSuccess = newSucceeded.Select(JobPods.FinishTime).Max();
        var after = failed.Where(t => t > lastSuccess).ToList();
        return after.Count == 0 ? BackoffRecord.None : new BackoffRecord(after.Count, after[^1]);
    }

    public void Store(string key, BackoffRecord record) => _records[key] = record;

    public void Remove(string key) => _records.TryRemove(key, out _);
}
