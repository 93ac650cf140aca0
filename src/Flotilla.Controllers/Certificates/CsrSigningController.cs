using System.Security.Cryptography.X509Certificates;
using Flotilla.Api;
using Flotilla.Api.Certificates;
using Flotilla.Client;
using Flotilla.Client.Informers;
using Flotilla.Client.WorkQueue;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Controllers.Certificates;

/// <summary>
/// kube-controller-manager's csrsigning with the cluster CA (<c>--cluster-signing-cert-file</c>): an approved request
/// for one of the built-in signers (kubelet client and serving, kube-apiserver client) gets its certificate, valid for
/// the shorter of <c>spec.expirationSeconds</c> and <c>--cluster-signing-duration</c>; one its signer refuses gets a
/// Failed condition (SignerValidationFailure) instead.
/// </summary>
public sealed partial class CsrSigningController(Lister<V1CertificateSigningRequest> requests, IKubernetes client, X509Certificate2 ca, TimeSpan duration, TimeProvider time, ILogger log)
{
    public const string Name = "csrsigning";

    public WorkQueue<string> Queue { get; } = new("certificate", time);

    public static async Task RunAsync(SharedInformerFactory informers, IKubernetes client, X509Certificate2 ca, TimeSpan duration, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var csrs = informers.Informer<V1CertificateSigningRequest>();
        var controller = new CsrSigningController(csrs.Lister, client, ca, duration, time, log);
        using var queue = controller.Queue;
        csrs.AddEventHandler(new ResourceEventHandler<V1CertificateSigningRequest>
        {
            OnAdd = (csr, _) => queue.Add(csr.Metadata.Name),
            OnUpdate = (_, csr) => queue.Add(csr.Metadata.Name),
        });
        informers.Start();
        await informers.WaitForCacheSyncAsync(cancellationToken);
        await new ControllerLoop(Name, queue, controller.SyncAsync, log).RunAsync(1, cancellationToken);
    }

    public async Task SyncAsync(string name, CancellationToken cancellationToken)
    {
        if (requests.Get(name) is not { Spec: not null } cached || !CsrConditions.Has(cached, CertificateRequests.Approved) || CsrConditions.Has(cached, CertificateRequests.Denied) ||
            CsrConditions.Has(cached, CertificateRequests.Failed) || CsrConditions.IsIssued(cached))
        {
            return;
        }

        // The informer's object is shared: work on a copy.
        var csr = Api.Serialization.DeepCopy.Of(cached);
        var usages = (IReadOnlyCollection<string>?)csr.Spec.Usages?.ToList() ?? [];
        var (parsed, error) = CertificateRequests.Parse(csr.Spec.Request);
        string? problem = error;
        if (parsed is not null)
        {
            switch (csr.Spec.SignerName)
            {
                case CertificateRequests.KubeletClientSigner:
                    problem = KubeletCertificates.ClientProblem(parsed, usages);
                    break;
                case CertificateRequests.KubeletServingSigner:
                    problem = KubeletCertificates.ServingProblem(parsed, usages);
                    break;
                case CertificateRequests.KubeApiServerClientSigner:
                    problem = KubeletCertificates.ApiServerClientProblem(usages);
                    break;
                default:
                    return; // Another signer's.
            }
        }

        var now = time.GetUtcNow();
        csr.Status ??= new V1CertificateSigningRequestStatus();
        if (problem is not null)
        {
            csr.Status.Conditions ??= [];
            csr.Status.Conditions.Add(CsrConditions.New(CertificateRequests.Failed, "SignerValidationFailure", problem, Timestamps.Of(now)));
            LogFailed(log, name, problem);
        }
        else
        {
            var lifetime = csr.Spec.ExpirationSeconds is { } seconds && TimeSpan.FromSeconds(seconds) < duration ? TimeSpan.FromSeconds(seconds) : duration;
            csr.Status.Certificate = CertificateRequests.Sign(parsed!, usages, ca, now, now + lifetime);
            LogSigned(log, name, csr.Spec.SignerName, parsed!.CommonName);
        }

        try
        {
            await client.CertificatesV1.ReplaceCertificateSigningRequestStatusAsync(csr, name, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            // Deleted meanwhile.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "certificatesigningrequest {Name} signed (signer {Signer}, subject {Subject})")]
    private static partial void LogSigned(ILogger log, string name, string signer, string subject);

    [LoggerMessage(Level = LogLevel.Warning, Message = "certificatesigningrequest {Name} failed: {Problem}")]
    private static partial void LogFailed(ILogger log, string name, string problem);
}
