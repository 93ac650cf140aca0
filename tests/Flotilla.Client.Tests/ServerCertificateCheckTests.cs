using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;

namespace Flotilla.Client.Tests;

/// <summary>
/// Clients trust a server only when its certificate chains to the kubeconfig's CA and names the address dialled,
/// over real TLS on 127.0.0.1 (KubernetesClient alone passed a certificate for another name); a client given a
/// <see cref="RotatingCertificate"/> presents the current one on every new connection.
/// </summary>
public sealed class ServerCertificateCheckTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public async Task ACertificateForTheAddressDialled_SignedByTheCa_IsTrusted()
    {
        using var ca = Ca("test-ca");
        using var served = Issue(ca, ip: IPAddress.Loopback, dns: null);
        var answer = await CallAsync(served, ca);
        Assert.Equal("1", answer);
    }

    [Fact]
    public async Task ACertificateForAnotherName_SignedByTheCa_IsRefused()
    {
        using var ca = Ca("test-ca");
        using var served = Issue(ca, ip: null, dns: "elsewhere.test");
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => CallAsync(served, ca));
        Assert.IsType<System.Security.Authentication.AuthenticationException>(failure.InnerException);
    }

    [Fact]
    public async Task ACertificateOfAnotherCa_IsRefused()
    {
        using var ca = Ca("test-ca");
        using var other = Ca("test-ca");
        using var served = Issue(other, ip: IPAddress.Loopback, dns: null);
        await Assert.ThrowsAsync<HttpRequestException>(() => CallAsync(served, ca));
    }

    [Fact]
    public async Task ARotatingClientCertificate_IsPresentedAsItIsNow_OnEachNewConnection()
    {
        using var ca = Ca("test-ca");
        using var served = Issue(ca, ip: IPAddress.Loopback, dns: null);
        using var first = Issue(ca, ip: null, dns: "first.test");
        using var second = Issue(ca, ip: null, dns: "second.test");
        var identity = new RotatingCertificate(first);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var config = ClusterClients.ConfigForServer(new Uri($"https://127.0.0.1:{port}"), ca, first);
        using var client = ClusterClients.ForServers([new Uri($"https://127.0.0.1:{port}")], config, identity);
        var presented = new List<string?>();

        // The server closes each connection: the next request makes a new one.
        var serving = ServeOneAsync(listener, served, presented);
        await client.Version.GetCodeAsync();
        await serving;
        identity.Current = second;
        serving = ServeOneAsync(listener, served, presented);
        await client.Version.GetCodeAsync();
        await serving;
        listener.Stop();

        Assert.Equal([first.Thumbprint, second.Thumbprint], presented);
    }

    /// <summary>One request of a client trusting <paramref name="ca"/> to a server presenting <paramref name="served"/>: the version's major.</summary>
    private static async Task<string> CallAsync(X509Certificate2 served, X509Certificate2 ca)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serving = ServeOneAsync(listener, served);
        using var client = ClusterClients.Create(new KubernetesClientConfiguration { Host = $"https://127.0.0.1:{port}", SslCaCerts = [ca] });
        try
        {
            return (await client.Version.GetCodeAsync()).Major;
        }
        finally
        {
            listener.Stop();
            await serving;
        }
    }

    /// <param name="presented">When given, the client's certificate is asked for and its thumbprint added here.</param>
    private static async Task ServeOneAsync(TcpListener listener, X509Certificate2 certificate, List<string?>? presented = null)
    {
        try
        {
            using var connection = await listener.AcceptTcpClientAsync();
            await using var tls = new SslStream(connection.GetStream());
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = certificate,
                ClientCertificateRequired = presented is not null,
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            });
            presented?.Add(tls.RemoteCertificate?.GetCertHashString());
            var buffer = new byte[4096];
            var request = new StringBuilder();
            while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await tls.ReadAsync(buffer);
                if (read == 0)
                {
                    return;
                }

                request.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            const string body = """{"major":"1","minor":"34","gitVersion":"v1.34.0"}""";
            await tls.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}"));
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or SocketException or ObjectDisposedException)
        {
            // The client refused the certificate (or never came): the test checks what it saw.
        }
    }

    private static X509Certificate2 Ca(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature, true));
        return request.CreateSelfSigned(Now.AddMinutes(-5), Now.AddHours(1));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, IPAddress? ip, string? dns)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=server", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        if (ip is not null)
        {
            names.AddIpAddress(ip);
        }

        if (dns is not null)
        {
            names.AddDnsName(dns);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signed = request.Create(ca, Now.AddMinutes(-5), Now.AddMinutes(30), RandomNumberGenerator.GetBytes(8));
        return signed.CopyWithPrivateKey(key);
    }
}
