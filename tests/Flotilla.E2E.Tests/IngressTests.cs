using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Flotilla.E2E.Tests;

/// <summary>
/// Ingress on <c>./flotilla up</c>'s real node: the default IngressClass <c>flotilla</c> is given to an Ingress
/// without one, two hosts and two paths route to two Services' pods on 127.0.0.1:80, a Service without pods is 503
/// and an unknown host 404, TLS on :443 comes from a <c>kubernetes.io/tls</c> Secret, the Ingress shows the
/// address, and a LoadBalancer asking for port 80 waits with an event naming the ingress controller's Service.
/// </summary>
[Collection(RealNodes.Name)]
public sealed class IngressTests() : OwnClusterTest("ing")
{
    private const string Httpd = "mkdir -p /w/api && echo $(hostname) > /w/index.html && cp /w/index.html /w/api/index.html && exec httpd -f -p 8080 -h /w";

    [Fact]
    public async Task TwoHostsAndPaths_RouteToTwoServices_Tls_503_404_AndPort80IsTaken()
    {
        await using var up = await UpAsync();
        foreach (var name in new[] { "web", "api" })
        {
            await KubectlOkAsync("create", "deployment", name, "--image=busybox:1.35", "--", "sh", "-c", Httpd);
            await KubectlOkAsync("expose", "deployment", name, "--port=80", "--target-port=8080");
        }

        await KubectlOkAsync("create", "service", "clusterip", "empty", "--tcp=80:8080");
        await KubectlOkAsync("create", "ingress", "site", "--rule=a.example.test/*=web:80", "--rule=a.example.test/api*=api:80", "--rule=b.example.test/*=api:80", "--rule=c.example.test/*=empty:80");
        Assert.Equal("flotilla", await KubectlOkAsync("get", "ingress", "site", "-o", "jsonpath={.spec.ingressClassName}"));
        Assert.Contains("successfully rolled out", await KubectlOkAsync("rollout", "status", "deploy/web", "--timeout=90s"), StringComparison.Ordinal);
        Assert.Contains("successfully rolled out", await KubectlOkAsync("rollout", "status", "deploy/api", "--timeout=90s"), StringComparison.Ordinal);
        var web = await KubectlOkAsync("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[0].metadata.name}");
        var api = await KubectlOkAsync("get", "pods", "-l", "app=api", "-o", "jsonpath={.items[0].metadata.name}");

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal(web, await WaitForAsync(() => GetAsync(http, "a.example.test", "/"), v => v == web));
        Assert.Equal(api, await GetAsync(http, "a.example.test", "/api/"));
        Assert.Equal(api, await GetAsync(http, "b.example.test", "/"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await SendAsync(http, "c.example.test", "/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(http, "d.example.test", "/")).StatusCode);
        Assert.Matches(@"^site\s+flotilla\s+a\.example\.test,b\.example\.test,c\.example\.test\s+127\.0\.0\.1\s+80\s", await WaitForAsync(() => KubectlOkAsync("get", "ingress", "site", "--no-headers"), v => v.Contains("127.0.0.1", StringComparison.Ordinal)));

        // TLS from a Secret of the Ingress.
        var (certificate, key) = SelfSigned("a.example.test");
        await File.WriteAllTextAsync(Path.Combine(DataDir, "a.crt"), certificate);
        await File.WriteAllTextAsync(Path.Combine(DataDir, "a.key"), key);
        await KubectlOkAsync("create", "secret", "tls", "a-tls", "--cert=" + Path.Combine(DataDir, "a.crt"), "--key=" + Path.Combine(DataDir, "a.key"));
        await KubectlOkAsync("patch", "ingress", "site", "--type=merge", "-p", """{"spec":{"tls":[{"hosts":["a.example.test"],"secretName":"a-tls"}]}}""");
        using var https = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, 443), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = { RemoteCertificateValidationCallback = (_, served, _, _) => served is X509Certificate2 c && c.ExportCertificatePem().Trim() == certificate.Trim() },
        });
        Assert.Equal(web, await Eventually.WaitForAsync(async () => await TryGetStringAsync(https, "https://a.example.test/") ?? string.Empty, v => v == web));

        // The controller's LoadBalancer Service holds 80 and 443.
        await KubectlOkAsync("create", "service", "loadbalancer", "lb80", "--tcp=80:8080");
        Assert.Contains(
            "port 80/TCP is already used by load balancer service kube-system/flotilla-ingress",
            await WaitForAsync(() => KubectlOkAsync("get", "events", "--field-selector", "involvedObject.name=lb80,reason=SyncLoadBalancerFailed", "-o", "jsonpath={.items[*].message}"), v => v.Length > 0),
            StringComparison.Ordinal);

        up.Terminate();
        Assert.Equal(0, await up.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, string host, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1" + path);
        request.Headers.Host = host;
        return await http.SendAsync(request);
    }

    private static async Task<string> GetAsync(HttpClient http, string host, string path)
    {
        using var response = await SendAsync(http, host, path);
        return (await response.Content.ReadAsStringAsync()).Trim();
    }

    private static async Task<string?> TryGetStringAsync(HttpClient http, string url)
    {
        try
        {
            return (await http.GetStringAsync(new Uri(url))).Trim();
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static (string Certificate, string Key) SelfSigned(string host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
