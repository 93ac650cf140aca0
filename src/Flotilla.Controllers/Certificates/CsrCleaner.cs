using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Flotilla.Api.Certificates;
using Flotilla.Client;
using Flotilla.Client.Informers;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Controllers.Certificates;

/// <summary>
/// kube-controller-manager's csrcleaner: every hour, requests are deleted an hour after they were approved, denied or
/// failed, a day after they were made when still pending, and once their certificate has expired.
/// </summary>
public sealed partial class CsrCleaner(Lister<V1CertificateSigningRequest> requests, IKubernetes client, TimeProvider time, ILogger log)
{
    public const string Name = "csrcleaner";

    private static readonly TimeSpan Period = TimeSpan.FromHours(1);
    private static readonly TimeSpan DecidedExpiry = TimeSpan.FromHours(1);
    private static readonly TimeSpan PendingExpiry = TimeSpan.FromHours(24);

    public static async Task RunAsync(SharedInformerFactory informers, IKubernetes client, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var csrs = informers.Informer<V1CertificateSigningRequest>();
        informers.Start();
        await informers.WaitForCacheSyncAsync(cancellationToken);
        var cleaner = new CsrCleaner(csrs.Lister, client, time, log);
        while (!cancellationToken.IsCancellationRequested)
        {
            await cleaner.CleanAsync(cancellationToken);
            try
            {
                await Task.Delay(Period, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task CleanAsync(CancellationToken cancellationToken)
    {
        foreach (var csr in requests.List())
        {
            if (Reason(csr, time.GetUtcNow()) is not { } reason)
            {
                continue;
            }

            try
            {
                await client.CertificatesV1.DeleteCertificateSigningRequestAsync(csr.Metadata.Name, cancellationToken: cancellationToken);
                LogDeleted(log, csr.Metadata.Name, reason);
            }
            catch (Exception e) when (ApiErrors.IsNotFound(e))
            {
                // Gone already.
            }
        }
    }

    /// <summary>Why the request is due for deletion, or null.</summary>
    public static string? Reason(V1CertificateSigningRequest csr, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(csr);
        foreach (var type in new[] { CertificateRequests.Approved, CertificateRequests.Denied, CertificateRequests.Failed })
        {
            var condition = csr.Status?.Conditions?.FirstOrDefault(c => c.Type == type);
            var at = condition?.LastUpdateTime ?? condition?.LastTransitionTime;
            if (at is { } stamp && now - Utc(stamp) > DecidedExpiry)
            {
                return type.ToLowerInvariant() + " more than an hour ago";
            }
        }

        if (!CsrConditions.IsDecided(csr) && csr.Metadata.CreationTimestamp is { } created && now - Utc(created) > PendingExpiry)
        {
            return "pending for more than a day";
        }

        if (CsrConditions.IsIssued(csr))
        {
            try
            {
                using var certificate = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(csr.Status!.Certificate!));
                if (certificate.NotAfter.ToUniversalTime() < now.UtcDateTime)
                {
                    return "its certificate has expired";
                }
            }
            catch (CryptographicException)
            {
                // Not a certificate this cleaner can read: left alone.
            }
        }

        return null;
    }

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));

    [LoggerMessage(Level = LogLevel.Information, Message = "certificatesigningrequest {Name} deleted: {Reason}")]
    private static partial void LogDeleted(ILogger log, string name, string reason);
}
