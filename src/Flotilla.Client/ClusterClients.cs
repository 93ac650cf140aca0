using System.Security.Cryptography.X509Certificates;
using System.Text;
using Flotilla.Api.Certificates;
using k8s;

namespace Flotilla.Client;

/// <summary>
/// Typed API clients (KubernetesClient's <see cref="Kubernetes"/>, JSON over HTTPS) for components: from a kubeconfig
/// file, or — in one process with the API server — from its address, the cluster CA and the component's certificate.
/// Either way every read and write goes through the API server.
/// </summary>
public static class ClusterClients
{
    private static readonly TimeSpan MaxConnectionLifetime = TimeSpan.FromHours(1);

    public static Kubernetes FromKubeconfig(string path, string? context = null) => Create(ConfigFromKubeconfig(path, context));

    /// <summary>A client for <paramref name="config"/> that waits out throttling as client-go does (<see cref="RetryAfterHandler"/>).</summary>
    public static Kubernetes Create(KubernetesClientConfiguration config) => Configured(config, null, new RetryAfterHandler());

    public static KubernetesClientConfiguration ConfigFromKubeconfig(string path, string? context = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return KubernetesClientConfiguration.BuildConfigFromConfigFile(path, context);
    }

    public static Kubernetes ForServer(Uri server, X509Certificate2 ca, X509Certificate2 identity) => Create(ConfigForServer(server, ca, identity));

    /// <summary>
    /// A client of an HA control plane: <paramref name="config"/>'s credentials against each of
    /// <paramref name="servers"/> in turn (<see cref="FailoverHandler"/>), starting with the first.
    /// </summary>
    /// <param name="identity">A client certificate renewed while the client runs (a joined node's): each new connection
    /// presents it as it is then, instead of the config's.</param>
    public static Kubernetes ForServers(IReadOnlyList<Uri> servers, KubernetesClientConfiguration config, RotatingCertificate? identity = null)
    {
        ArgumentNullException.ThrowIfNull(servers);
        ArgumentNullException.ThrowIfNull(config);
        if (servers.Count < 2)
        {
            return Configured(config, identity, new RetryAfterHandler());
        }

        config.Host = servers[0].ToString();
        return Configured(config, identity, new RetryAfterHandler(), new FailoverHandler(servers));
    }

    public static KubernetesClientConfiguration ConfigForServer(Uri server, X509Certificate2 ca, X509Certificate2 identity)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(ca);
        ArgumentNullException.ThrowIfNull(identity);
        var key = identity.GetECDsaPrivateKey()?.ExportPkcs8PrivateKeyPem()
            ?? identity.GetRSAPrivateKey()?.ExportPkcs8PrivateKeyPem()
            ?? throw new ArgumentException("the certificate has no private key", nameof(identity));
        return new KubernetesClientConfiguration
        {
            Host = server.ToString(),
            SslCaCerts = [ca],
            ClientCertificateData = Base64(identity.ExportCertificatePem()),
            ClientCertificateKeyData = Base64(key),
        };
    }

    private static string Base64(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));

    /// <summary>
    /// A client that checks the server's certificate as Go's clients do, and pings its connections as client-go does.
    /// KubernetesClient's own check passes a certificate for another name whenever the chain also needed the custom CA,
    /// which a cluster CA always does; its handler is reachable only through the setup hook, which runs before that
    /// check is installed.
    /// </summary>
    private static Kubernetes Configured(KubernetesClientConfiguration config, RotatingCertificate? identity, params DelegatingHandler[] handlers)
    {
        var setup = config.FirstMessageHandlerSetup;
        SocketsHttpHandler? socket = null;
        config.FirstMessageHandlerSetup = h =>
        {
            setup?.Invoke(h);
            socket = h;
        };
        try
        {
            var client = new Kubernetes(config, handlers);
            if (socket is not null)
            {
                // client-go's HTTP/2 health check (ReadIdleTimeout 30 s, PingTimeout 15 s): a connection dead after a
                // network partition is dropped instead of holding every request until TCP gives up.
                socket.KeepAlivePingDelay = TimeSpan.FromSeconds(30);
                socket.KeepAlivePingTimeout = TimeSpan.FromSeconds(15);
            }

            if (!config.SkipTlsVerify && config.SslCaCerts is { Count: > 0 } cas && socket is not null)
            {
                socket.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, errors) => ServerCertificates.Trusted(presented, cas, errors);
            }

            if (identity is not null && socket is not null)
            {
                // A connection made with a certificate since replaced is left after a tenth of the certificate's life
                // (an hour at most), well before that certificate ends: upstream's kubelet closes them all at rotation.
                socket.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => identity.Current;
                var life = identity.Current.NotAfter - identity.Current.NotBefore;
                socket.PooledConnectionLifetime = life / 10 < MaxConnectionLifetime ? life / 10 : MaxConnectionLifetime;
            }

            return client;
        }
        finally
        {
            config.FirstMessageHandlerSetup = setup;
        }
    }
}
