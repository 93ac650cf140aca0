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
/// kube-controller-manager's csrapproving: a kubelet's client certificate request is approved when a
/// SubjectAccessReview lets its requester create <c>certificatesigningrequests/selfnodeclient</c> (renewing its own)
/// or <c>/nodeclient</c> (a join token's first request). Flotilla also approves a kubelet's serving certificate
/// (upstream leaves that to an operator) when the node asks for itself, for its own name and for addresses of its
/// Node that are no other Node's and no API server's. Nothing is ever denied: what is not recognized stays pending.
/// </summary>
public sealed partial class CsrApprovingController(Lister<V1CertificateSigningRequest> requests, Lister<V1Node> nodes, Lister<V1Endpoints> endpoints, IKubernetes client, TimeProvider time, ILogger log)
{
    public const string Name = "csrapproving";

    /// <summary>How soon a serving request is looked at again while its Node has no addresses yet.</summary>
    internal static readonly TimeSpan NodeWait = TimeSpan.FromSeconds(2);

    public WorkQueue<string> Queue { get; } = new("certificate", time);

    public static async Task RunAsync(SharedInformerFactory informers, IKubernetes client, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var csrs = informers.Informer<V1CertificateSigningRequest>();
        var nodeInformer = informers.Informer<V1Node>();
        var endpointsInformer = informers.Informer<V1Endpoints>();
        var controller = new CsrApprovingController(csrs.Lister, nodeInformer.Lister, endpointsInformer.Lister, client, time, log);
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
        if (requests.Get(name) is not { Spec: not null } cached || CsrConditions.IsDecided(cached) || CsrConditions.IsIssued(cached) || CertificateRequests.Parse(cached.Spec.Request).Request is not { } parsed)
        {
            return;
        }

        // The informer's object is shared: work on a copy.
        var csr = Api.Serialization.DeepCopy.Of(cached);
        var usages = (IReadOnlyCollection<string>?)csr.Spec.Usages?.ToList() ?? [];
        string? message = null;
        switch (csr.Spec.SignerName)
        {
            case CertificateRequests.KubeletClientSigner when KubeletCertificates.ClientProblem(parsed, usages) is null:
                if (parsed.CommonName == csr.Spec.Username && await AllowedAsync(csr, "selfnodeclient", cancellationToken))
                {
                    message = "Auto approving self kubelet client certificate after SubjectAccessReview.";
                }
                else if (await AllowedAsync(csr, "nodeclient", cancellationToken))
                {
                    message = "Auto approving kubelet client certificate after SubjectAccessReview.";
                }

                break;
            case CertificateRequests.KubeletServingSigner when KubeletCertificates.ServingProblem(parsed, usages) is null && parsed.CommonName == csr.Spec.Username &&
                                                              csr.Spec.Groups?.Contains(CertificateRequests.NodesGroup) == true:
                switch (ServingNamesCheck(parsed))
                {
                    case true:
                        message = "Auto approving kubelet serving certificate: the node asks for its own names and addresses.";
                        break;
                    case null:
                        Queue.AddAfter(name, NodeWait);
                        return;
                }

                break;
        }

        if (message is null)
        {
            return;
        }

        csr.Status ??= new V1CertificateSigningRequestStatus();
        csr.Status.Conditions ??= [];
        csr.Status.Conditions.Add(CsrConditions.New(CertificateRequests.Approved, "AutoApproved", message, Timestamps.Now(time)));
        try
        {
            await client.CertificatesV1.ReplaceCertificateSigningRequestApprovalAsync(csr, name, cancellationToken: cancellationToken);
            LogApproved(log, name, csr.Spec.SignerName, csr.Spec.Username ?? string.Empty);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            // Deleted meanwhile.
        }
    }

    /// <summary>
    /// True when the only DNS name is the node's own and every IP is one of its InternalIP/ExternalIP addresses that
    /// no other Node claims and no API server has (a node writes its own addresses: it must not get a certificate for
    /// another machine); null while the Node has no addresses yet.
    /// </summary>
    private bool? ServingNamesCheck(ParsedRequest parsed)
    {
        var nodeName = KubeletCertificates.NodeName(parsed);
        var node = nodes.Get(nodeName);
        if (node?.Status?.Addresses is not { Count: > 0 } addresses)
        {
            return null;
        }

        var own = addresses.Where(a => a.Type is "InternalIP" or "ExternalIP").Select(a => a.Address).ToHashSet(StringComparer.Ordinal);
        var others = nodes.List().Where(n => n.Metadata.Name != nodeName)
            .SelectMany(n => n.Status?.Addresses ?? []).Where(a => a.Type is "InternalIP" or "ExternalIP").Select(a => a.Address);
        var apiServers = endpoints.Get("default", "kubernetes")?.Subsets?.SelectMany(s => s.Addresses ?? []).Select(a => a.Ip) ?? [];
        // A loopback address is every machine's own: nodes sharing one (hollow nodes of one agent) do not compete for it.
        own.ExceptWith(others.Concat(apiServers).Where(ip => !System.Net.IPAddress.TryParse(ip, out var parsed) || !System.Net.IPAddress.IsLoopback(parsed)));
        return parsed.DnsNames.All(d => string.Equals(d, nodeName, StringComparison.OrdinalIgnoreCase)) && parsed.IpAddresses.All(ip => own.Contains(ip.ToString()));
    }

    private async Task<bool> AllowedAsync(V1CertificateSigningRequest csr, string subresource, CancellationToken cancellationToken)
    {
        var review = new V1SubjectAccessReview
        {
            Spec = new V1SubjectAccessReviewSpec
            {
                User = csr.Spec.Username,
                Uid = csr.Spec.Uid,
                Groups = csr.Spec.Groups,
                Extra = csr.Spec.Extra,
                ResourceAttributes = new V1ResourceAttributes
                {
                    Group = "certificates.k8s.io",
                    Resource = "certificatesigningrequests",
                    Verb = "create",
                    Subresource = subresource,
                    Version = "*",
                },
            },
        };
        var answer = await client.AuthorizationV1.CreateSubjectAccessReviewAsync(review, cancellationToken: cancellationToken);
        return answer.Status?.Allowed == true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "certificatesigningrequest {Name} approved (signer {Signer}, requestor {Requestor})")]
    private static partial void LogApproved(ILogger log, string name, string signer, string requestor);
}
