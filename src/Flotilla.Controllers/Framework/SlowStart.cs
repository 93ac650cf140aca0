using Flotilla.Client;

namespace Flotilla.Controllers.Framework;

/// <summary>
/// Upstream's slowStartBatch: creates in batches of 1, 2, 4, ... and stops at the first batch with a failure, so a
/// controller that cannot create pods (quota, admission) makes one failing call, not hundreds.
/// </summary>
public static class SlowStart
{
    public static async Task<(int Created, string? Error)> CreateAsync(int count, Func<Task> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        var created = 0;
        for (var batch = Math.Min(count, 1); count > 0; batch = Math.Min(2 * batch, count))
        {
            var results = await Task.WhenAll(Enumerable.Range(0, batch).Select(async _ =>
            {
                try
                {
                    await create();
                    return null;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    return ApiErrors.Describe(e);
                }
            }));
            created += results.Count(r => r is null);
            if (results.FirstOrDefault(r => r is not null) is { } error)
            {
                return (created, error);
            }

            count -= batch;
        }

        return (created, null);
    }
}
