using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using Flotilla.Api.Bootstrap;
using Flotilla.Api.Certificates;
using Flotilla.Client;
using Flotilla.Kubelet.Server;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Kubelet.Bootstrap;

/// <summary>
/// Kubelet TLS bootstrapping with a join token: the server's CA is read from <c>/cacerts</c> and trusted only when
/// its SHA-256 is the token's; the bootstrap token then asks for the node's client certificate through a
/// CertificateSigningRequest (signer kube-apiserver-client-kubelet), which the controller manager approves and signs.
/// Once the node is registered, it asks for its serving certificate the same way (signer kubelet-serving). While the
/// node runs, each is renewed as the kubelet's certificate manager renews it (<see cref="RenewClientAsync"/>).
/// Everything is kept in <see cref="NodeCredentialFiles"/>, so a restart joins again without the server.
/// </summary>
public static partial class TlsBootstrap
{
    public const string ClientName = "kubelet-client";
    public const string ServingName = "kubelet-server";

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxRenewalBackoff = TimeSpan.FromMinutes(5);

    /// <summary>The longest single wait for a rotation point (timers take at most 49 days); the point is read again after it.</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromDays(1);
    private static readonly TimeSpan PollDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The CA and the node's client certificate (with its key): kept ones when still good, else new ones, from the
    /// first of <paramref name="servers"/> that answers (several: an HA control plane).
    /// </summary>
    public static async Task<(X509Certificate2 Ca, X509Certificate2 Client)> JoinAsync(IReadOnlyList<Uri> servers, string joinToken, string nodeName, NodeCredentialFiles files, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(servers);
        ArgumentOutOfRangeException.ThrowIfZero(servers.Count);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(time);
        if (!JoinToken.TryParse(joinToken ?? string.Empty, out var caHash, out var id, out var secret))
        {
            throw new BootstrapException("the token is not a join token (K10<ca-hash>::<id>.<secret>): make one with 'flotilla token create' on the server");
        }

        var ca = KeptCa(files, caHash) ?? await FetchCaAsync(servers, caHash, files, log, cancellationToken);
        if (files.Load(ClientName, ca, time.GetUtcNow()) is { } kept)
        {
            LogKept(log, nodeName, files.Directory);
            return (ca, kept);
        }

        using var bootstrap = ClusterClients.ForServers(servers, new KubernetesClientConfiguration { Host = servers[0].ToString(), SslCaCerts = [ca], AccessToken = $"{id}.{secret}" });
        var client = await RequestAsync(bootstrap, CertificateRequests.KubeletClientSigner, CertificateRequests.NodeSubject(nodeName), [], ClientUsages, log, cancellationToken);
        files.Save(ClientName, client);
        return (ca, client);
    }

    /// <summary>
    /// Once <paramref name="nodeName"/>'s Node reports addresses, asks for a serving certificate for its name and
    /// addresses and puts it in <paramref name="serving"/> (a kept one is used at once), then renews it while the node
    /// runs, for the addresses the node has then. Runs until cancelled, or ends when the first request is refused.
    /// </summary>
    public static async Task ServeSignedAsync(IKubernetes client, string nodeName, X509Certificate2 ca, RotatingCertificate serving, NodeCredentialFiles files, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(serving);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(time);
        if (files.Load(ServingName, ca, time.GetUtcNow()) is { } kept)
        {
            serving.Current = kept;
        }
        else
        {
            try
            {
                var names = await NodeNamesAsync(client, nodeName, cancellationToken);
                var signed = await RequestAsync(client, CertificateRequests.KubeletServingSigner, CertificateRequests.NodeSubject(nodeName), names, ServingUsages, log, cancellationToken);
                files.Save(ServingName, signed);
                serving.Current = signed;
                LogServing(log, nodeName, string.Join(", ", names));
            }
            catch (BootstrapException e)
            {
                LogServingFailed(log, nodeName, e.Message);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }

        await RenewAsync(client, nodeName, CertificateRequests.KubeletServingSigner, ct => NodeNamesAsync(client, nodeName, ct), ServingUsages, serving, ServingName, files, time, log, cancellationToken);
    }

    /// <summary>
    /// Renews the node's client certificate while it runs (the kubelet's certificate rotation), as the node itself: the
    /// controller manager approves such a request as <c>selfnodeclient</c>. Runs until cancelled.
    /// </summary>
    public static Task RenewClientAsync(IKubernetes client, string nodeName, RotatingCertificate identity, NodeCredentialFiles files, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(time);
        return RenewAsync(client, nodeName, CertificateRequests.KubeletClientSigner, _ => Task.FromResult<IReadOnlyList<string>>([]), ClientUsages, identity, ClientName, files, time, log, cancellationToken);
    }

    /// <summary>
    /// Where a certificate is renewed: 70 to 90 % into its life, at random (the kubelet certificate manager's
    /// jittered deadline), so that the nodes of a cluster joined together do not all ask at once.
    /// </summary>
    /// <param name="random">In [0, 1).</param>
    public static DateTimeOffset RotationPoint(X509Certificate2 certificate, double random)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
        var life = certificate.NotAfter.ToUniversalTime() - certificate.NotBefore.ToUniversalTime();
        return notBefore + (life * (0.7 + (0.2 * random)));
    }

    /// <summary>
    /// At each rotation point, a new certificate for the same subject (and the names <paramref name="names"/> gives
    /// then) through a request made as the node; kept on disk, then put in place, so new connections present it. A
    /// refused or failed request is asked again after a back-off (2 s, doubling to 5 min), whatever went wrong.
    /// </summary>
    private static async Task RenewAsync(
        IKubernetes client, string nodeName, string signer, Func<CancellationToken, Task<IReadOnlyList<string>>> names, IList<string> usages,
        RotatingCertificate certificate, string fileName, NodeCredentialFiles files, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        var backoff = RetryDelay;
        try
        {
            while (true)
            {
                var due = RotationPoint(certificate.Current, Random.Shared.NextDouble());
                LogRenewalDue(log, nodeName, fileName, due);
                while (due - time.GetUtcNow() is { Ticks: > 0 } wait)
                {
                    await Task.Delay(wait < MaxWait ? wait : MaxWait, time, cancellationToken);
                }

                while (true)
                {
                    try
                    {
                        var renewed = await RequestAsync(client, signer, CertificateRequests.NodeSubject(nodeName), await names(cancellationToken), usages, log, cancellationToken);
                        files.Save(fileName, renewed);
                        certificate.Current = renewed;
                        backoff = RetryDelay;
                        LogRenewed(log, nodeName, fileName, renewed.NotAfter.ToUniversalTime());
                        break;
                    }
                    catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                    {
                        // Whatever the cause (a refusal, a server away past the client's timeout, a full disk), the
                        // loop goes on: ending it would leave the certificate to expire.
                        LogRenewalFailed(log, nodeName, fileName, e.Message, backoff.TotalSeconds);
                        await Task.Delay(backoff, time, cancellationToken);
                        backoff = backoff * 2 < MaxRenewalBackoff ? backoff * 2 : MaxRenewalBackoff;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private static IList<string> ClientUsages => [CertificateRequests.DigitalSignature, CertificateRequests.ClientAuth];

    private static IList<string> ServingUsages => [CertificateRequests.DigitalSignature, CertificateRequests.ServerAuth];

    /// <summary>Creates the request and waits until it is issued, denied or failed.</summary>
    public static async Task<X509Certificate2> RequestAsync(IKubernetes client, string signer, X500DistinguishedName subject, IReadOnlyList<string> alternativeNames, IList<string> usages, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var (key, pem) = CertificateRequests.Create(subject, alternativeNames);
        using (key)
        {
            var request = new V1CertificateSigningRequest
            {
                Metadata = new V1ObjectMeta { GenerateName = "node-csr-" },
                Spec = new V1CertificateSigningRequestSpec { Request = pem, SignerName = signer, Usages = usages },
            };
            var created = await RetryAsync(() => client.CertificatesV1.CreateCertificateSigningRequestAsync(request, cancellationToken: cancellationToken), log, cancellationToken);
            var name = created.Metadata.Name;
            LogRequested(log, name, signer, subject.Name);
            while (true)
            {
                var current = await RetryAsync(() => client.CertificatesV1.ReadCertificateSigningRequestAsync(name, cancellationToken: cancellationToken), log, cancellationToken);
                var refused = current.Status?.Conditions?.FirstOrDefault(c => c.Type is CertificateRequests.Denied or CertificateRequests.Failed && c.Status == "True");
                if (refused is not null)
                {
                    throw new BootstrapException($"certificatesigningrequest {name} was {refused.Type.ToLowerInvariant()}: {refused.Reason} {refused.Message}".TrimEnd());
                }

                if (current.Status?.Certificate is { Length: > 0 } certificate)
                {
                    using var issued = Certificate(certificate);
                    return issued.CopyWithPrivateKey(key);
                }

                await Task.Delay(PollDelay, cancellationToken);
            }
        }
    }

    private static X509Certificate2? KeptCa(NodeCredentialFiles files, string caHash)
    {
        var pem = File.Exists(files.CaFile) ? File.ReadAllBytes(files.CaFile) : null;
        return pem is not null && JoinToken.CaHash(pem) == caHash ? Certificate(pem) : null;
    }

    private static X509Certificate2 Certificate(byte[] pem) => X509Certificate2.CreateFromPem(System.Text.Encoding.ASCII.GetString(pem));

    /// <summary>
    /// The server's CA over an unverified connection, checked against the token's hash; each server asked in turn,
    /// again and again while none can be reached.
    /// </summary>
    private static async Task<X509Certificate2> FetchCaAsync(IReadOnlyList<Uri> servers, string caHash, NodeCredentialFiles files, ILogger log, CancellationToken cancellationToken)
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        for (var attempt = 0; ; attempt++)
        {
            var url = new Uri(servers[attempt % servers.Count], "/cacerts");
            byte[] pem;
            try
            {
                using var response = await http.GetAsync(url, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    throw new BootstrapException($"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}: is this a Flotilla server?");
                }

                pem = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                LogUnreachable(log, url.ToString(), e.Message);
                if (attempt % servers.Count == servers.Count - 1)
                {
                    await Task.Delay(RetryDelay, cancellationToken);
                }

                continue;
            }

            if (JoinToken.CaHash(pem) != caHash)
            {
                throw new BootstrapException($"the CA served at {url} is not the one the token names (hash {JoinToken.CaHash(pem)[..12]}..., token {caHash[..12]}...): wrong server, or a token of another cluster");
            }

            files.SaveCa(pem);
            return Certificate(pem);
        }
    }

    /// <summary>The node's name and the addresses its kubelet reported (waits until there are some).</summary>
    private static async Task<IReadOnlyList<string>> NodeNamesAsync(IKubernetes client, string nodeName, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var node = await client.CoreV1.ReadNodeAsync(nodeName, cancellationToken: cancellationToken);
                if (node.Status?.Addresses is { Count: > 0 } addresses)
                {
                    return [nodeName, .. addresses.Select(a => a.Address).Where(a => a != nodeName).Distinct()];
                }
            }
            catch (HttpOperationException e) when (ApiErrors.IsNotFound(e) || (int)e.Response.StatusCode >= 500)
            {
                // Not registered yet, or the server is in trouble: ask again.
            }
            catch (HttpOperationException e)
            {
                throw new BootstrapException($"reading node {nodeName}: {ApiErrors.Message(e)}");
            }
            catch (HttpRequestException)
            {
                // The server is away: ask again.
            }

            await Task.Delay(RetryDelay, cancellationToken);
        }
    }

    /// <summary>Runs <paramref name="call"/> until the server answers; a refusal (4xx) ends the join.</summary>
    private static async Task<T> RetryAsync<T>(Func<Task<T>> call, ILogger log, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await call();
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
            {
                throw new BootstrapException("the API server refused the credentials (Unauthorized): a join token that expired, was deleted or is another cluster's (make a new one with 'flotilla token create'), or a node certificate that ended");
            }
            catch (HttpOperationException e) when ((int)e.Response.StatusCode is >= 400 and < 500 and not 429)
            {
                throw new BootstrapException($"the API server refused: {ApiErrors.Message(e)}");
            }
            catch (Exception e) when (e is HttpRequestException or HttpOperationException && !cancellationToken.IsCancellationRequested)
            {
                LogRetry(log, e.Message);
                await Task.Delay(RetryDelay, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "node {Node}: using the credentials kept in {Directory}")]
    private static partial void LogKept(ILogger log, string node, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "certificatesigningrequest {Name} made (signer {Signer}, subject {Subject}); waiting for its certificate")]
    private static partial void LogRequested(ILogger log, string name, string signer, string subject);

    [LoggerMessage(Level = LogLevel.Information, Message = "node {Node}: serving the cluster-signed certificate for {Names}")]
    private static partial void LogServing(ILogger log, string node, string names);

    [LoggerMessage(Level = LogLevel.Warning, Message = "node {Node}: no cluster-signed serving certificate ({Error}); serving the self-signed one")]
    private static partial void LogServingFailed(ILogger log, string node, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "cannot reach {Url}: {Error}; trying again")]
    private static partial void LogUnreachable(ILogger log, string url, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the API server did not answer: {Error}; trying again")]
    private static partial void LogRetry(ILogger log, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "node {Node}: {Certificate} certificate to be renewed at {Due:o}")]
    private static partial void LogRenewalDue(ILogger log, string node, string certificate, DateTimeOffset due);

    [LoggerMessage(Level = LogLevel.Information, Message = "node {Node}: {Certificate} certificate renewed, valid until {NotAfter:o}")]
    private static partial void LogRenewed(ILogger log, string node, string certificate, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "node {Node}: renewing the {Certificate} certificate failed: {Error}; asking again in {Seconds} s")]
    private static partial void LogRenewalFailed(ILogger log, string node, string certificate, string error, double seconds);
}
