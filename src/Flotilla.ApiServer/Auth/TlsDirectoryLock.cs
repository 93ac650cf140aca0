namespace Flotilla.ApiServer.Auth;

/// <summary>
/// The lock of a TLS dir the servers of one cluster share (<c>--tls-dir</c>): a server holds it while it reads or makes
/// the CA and certificates, the service-account key and the encryption config, so servers starting together make each
/// once and none pairs another's new certificate with an old key. An exclusive flock on <c>.lock</c>.
/// </summary>
public static class TlsDirectoryLock
{
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(50);
    private const int Attempts = 600;

    /// <summary>The held lock (dispose to release), waited for up to 30 s; then the IOException says why.</summary>
    public static async Task<IDisposable> AcquireAsync(string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, ".lock");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < Attempts)
            {
                await Task.Delay(Retry, cancellationToken);
            }
        }
    }
}
