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
/// Once the node is registered, it asks for its serving certificate the same way (signer kubelet-serving).
/// Everything is kept in <see cref="NodeCredentialFiles"/>, so a restart joins again without the server.
/// </summary>
public static partial class TlsBootstrap
{
    public const string ClientName = "kubelet-client";
    public const string ServingName = "kubelet-server";

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);
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
        var client = await RequestAsync(
            bootstrap, CertificateRequests.KubeletClientSigner, CertificateRequests.NodeSubject(nodeName), [],
            [CertificateRequests.DigitalSignature, CertificateRequests.ClientAuth], log, cancellationToken);
        files.Save(ClientName, client);
        return (ca, client);
    }

    /// <summary>
    /// Once <paramref name="nodeName"/>'s Node reports addresses, asks for a serving certificate for its name and
    /// addresses and puts it in <paramref name="serving"/> (a kept one is used at once).
    /// </summary>
    public static async Task ServeSignedAsync(IKubernetes client, string nodeName, X509Certificate2 ca, ServingCertificate serving, NodeCredentialFiles files, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(serving);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(time);
        if (files.Load(ServingName, ca, time.GetUtcNow()) is { } kept)
        {
            serving.Current = kept;
            return;
        }

        try
        {
            var names = await NodeNamesAsync(client, nodeName, cancellationToken);
            var signed = await RequestAsync(
                client, CertificateRequests.KubeletServingSigner, CertificateRequests.NodeSubject(nodeName), names,
                [CertificateRequests.DigitalSignature, CertificateRequests.ServerAuth], log, cancellationToken);
            files.Save(ServingName, signed);
            serving.Current = signed;
            LogServing(log, nodeName, string.Join(", ", names));
        }
        catch (BootstrapException e)
        {
            LogServingFailed(log, nodeName, e.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

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
                throw new BootstrapException("the API server refused the token (Unauthorized): it expired, was deleted, or is another cluster's; make a new one with 'flotilla token create'");
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
}
