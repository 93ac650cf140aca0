namespace Flotilla.Client;

/// <summary>
/// A pass that runs every period, timed from the end of the last one (apimachinery's wait.Until): a pass that fails is
/// reported and the next one runs anyway, so a loop that watches the cluster does not die of one bad moment.
/// </summary>
public static class Periodic
{
    /// <summary>Runs until <paramref name="cancellationToken"/> ends, then returns normally.</summary>
    public static async Task RunAsync(TimeSpan period, Func<CancellationToken, Task> pass, Action<Exception> failed, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pass);
        ArgumentNullException.ThrowIfNull(failed);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await pass(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a failed pass is reported and the next one runs; the loop must not die
            catch (Exception e)
#pragma warning restore CA1031
            {
                failed(e);
            }

            try
            {
                await Task.Delay(period, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
