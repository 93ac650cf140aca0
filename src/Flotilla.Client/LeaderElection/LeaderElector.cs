using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Flotilla.Client.LeaderElection;

/// <summary>
/// client-go's leader elector: candidates try to create or take over the Lease every retry period; the holder renews
/// it and acts while it does. A candidate takes a Lease over only when it has seen no change to it for a whole lease
/// duration — measured on its own clock from when it saw the change, so clocks need not agree. Updates carry the
/// resourceVersion read, so two candidates never both win one round.
/// </summary>
public sealed class LeaderElector(IKubernetes client, LeaderElectionConfig config, TimeProvider time)
{
    private V1Lease? _observed;
    private DateTimeOffset _observedAt;

    /// <summary>The holder last seen (null before the first read).</summary>
    public string? Leader => _observed?.Spec?.HolderIdentity;

    public bool IsLeader => Leader == config.Identity;

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> ends: waits to acquire the Lease, then runs
    /// <paramref name="lead"/> with a token that ends when leadership is lost (or on cancellation), and returns.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> lead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lead);
        if (!await AcquireAsync(cancellationToken))
        {
            return;
        }

        using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var work = Task.Run(() => lead(leading.Token), CancellationToken.None);
        try
        {
            await RenewAsync(cancellationToken);
        }
        finally
        {
            await leading.CancelAsync();
            try
            {
                await work;
            }
            catch (OperationCanceledException)
            {
                // The leader's work ends with its leadership.
            }

            if (config.ReleaseOnCancel && cancellationToken.IsCancellationRequested)
            {
                await ReleaseAsync();
            }
        }
    }

    private async Task<bool> AcquireAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (await TryAcquireOrRenewAsync(cancellationToken))
            {
                return true;
            }

            await DelayAsync(Jitter(config.RetryPeriod), cancellationToken);
        }

        return false;
    }

    /// <summary>Renews every retry period; returns when a renewal has not succeeded within the renew deadline.</summary>
    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        var lastRenewed = time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            await DelayAsync(config.RetryPeriod, cancellationToken);
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            if (await TryAcquireOrRenewAsync(cancellationToken))
            {
                lastRenewed = time.GetUtcNow();
            }
            else if (!IsLeader || time.GetUtcNow() - lastRenewed >= config.RenewDeadline)
            {
                return;  // someone else holds it, or this leader could not renew in time
            }
        }
    }

    private async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        V1Lease current;
        try
        {
            current = await client.CoordinationV1.ReadNamespacedLeaseAsync(config.Name, config.Namespace, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return await TryWriteAsync(() => client.CoordinationV1.CreateNamespacedLeaseAsync(Taken(new V1Lease { Metadata = new V1ObjectMeta { Name = config.Name, NamespaceProperty = config.Namespace } }, now, transition: false), config.Namespace, cancellationToken: cancellationToken), now, cancellationToken);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or TimeoutException)
        {
            return false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;  // stopping while a read was in flight: the caller sees the cancellation and returns
        }

        if (_observed?.Metadata?.ResourceVersion != current.Metadata?.ResourceVersion)
        {
            _observed = current;
            _observedAt = now;
        }

        var holder = current.Spec?.HolderIdentity;
        var duration = TimeSpan.FromSeconds(current.Spec?.LeaseDurationSeconds ?? (int)config.LeaseDuration.TotalSeconds);
        if (!string.IsNullOrEmpty(holder) && holder != config.Identity && _observedAt + duration > now)
        {
            return false;  // held, and renewed recently as this candidate saw it
        }

        return await TryWriteAsync(() => client.CoordinationV1.ReplaceNamespacedLeaseAsync(Taken(current, now, transition: holder != config.Identity), config.Name, config.Namespace, cancellationToken: cancellationToken), now, cancellationToken);
    }

    private async Task<bool> TryWriteAsync(Func<Task<V1Lease>> write, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            _observed = await write();
            _observedAt = now;
            return true;
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or TimeoutException)
        {
            return false;  // a conflict: someone else wrote first
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;  // stopping mid-write: whether it landed is unknown, and the release that follows is guarded by resourceVersion
        }
    }

    private V1Lease Taken(V1Lease lease, DateTimeOffset now, bool transition)
    {
        var spec = lease.Spec ??= new V1LeaseSpec();
        var at = now.UtcDateTime;
        if (transition || spec.AcquireTime is null)
        {
            spec.AcquireTime = at;
            spec.LeaseTransitions = transition ? (spec.LeaseTransitions ?? 0) + 1 : spec.LeaseTransitions ?? 0;
        }

        spec.HolderIdentity = config.Identity;
        spec.LeaseDurationSeconds = (int)config.LeaseDuration.TotalSeconds;
        spec.RenewTime = at;
        return lease;
    }

    /// <summary>As client-go's release: no holder, a one-second lease, so a candidate takes it on its next try.</summary>
    private async Task ReleaseAsync()
    {
        if (!IsLeader || _observed is null)
        {
            return;
        }

        try
        {
            // Bounded by the renew deadline, not the retry period: a loaded server may take longer than a retry
            // period, and a release that gives up leaves the next leader waiting out a whole lease.
            using var timeout = new CancellationTokenSource(config.RenewDeadline);
            // Read again: a renewal cut off by the stop may have landed, and the release must carry its resourceVersion.
            var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(config.Name, config.Namespace, cancellationToken: timeout.Token);
            if (lease.Spec?.HolderIdentity != config.Identity)
            {
                return;
            }

            lease.Spec.HolderIdentity = null;
            lease.Spec.LeaseDurationSeconds = 1;
            lease.Spec.RenewTime = time.GetUtcNow().UtcDateTime;
            _observed = await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, config.Name, config.Namespace, cancellationToken: timeout.Token);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or OperationCanceledException)
        {
            // The lease then runs out on its own.
        }
    }

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        Task.Delay(delay, time, cancellationToken).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    // client-go's wait.JitterUntil with factor 1.2: candidates spread out instead of retrying in step.
    private static TimeSpan Jitter(TimeSpan period) => period * (1 + (Random.Shared.NextDouble() * 1.2));
}
