using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Flotilla.Client.Tests;
using Flotilla.Ingress.Tests.Tls;
using Flotilla.Tests.Shared;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flotilla.Ingress.Tests.Integration;

/// <summary>
/// The ingress controller against a real API server, listening on 127.0.0.1, in front of two backends on 127.0.0.1:
/// hosts and paths route, a change applies on the connections already open, TLS comes from the Ingress's Secret, no
/// endpoint is 503 and a dead one 502, and Ingresses get the load balancer's address.
/// </summary>
public sealed class IngressHostTests : IAsyncLifetime
{
    private TestApiServer _server = null!;
    private Kubernetes _client = null!;
    private Backend _web = null!;
    private Backend _api = null!;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _client = new Kubernetes(new KubernetesClientConfiguration { Host = _server.Address.ToString() });
        _web = await Backend.StartAsync("web");
        _api = await Backend.StartAsync("api");
    }

    public async Task DisposeAsync()
    {
        if (_web is not null)
        {
            await _web.DisposeAsync();
        }

        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        _client?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task HostsAndPaths_Route_ChangesApplyLive_TlsFromTheSecret_503And502_StatusFollowsTheBalancer()
    {
        await ServiceAsync("web", _web.Port);
        await ServiceAsync("api", _api.Port);
        await ServiceAsync("dead", FreePorts.One());
        await _client.CoreV1.CreateNamespacedServiceAsync(new V1Service { Metadata = new V1ObjectMeta { Name = "empty" }, Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Name = "http", Port = 80 }] } }, "default");
        await _client.CoreV1.CreateNamespacedSecretAsync(TestCertificates.Secret("a-tls", "a.example.test"), "default");
        var ingress = new V1Ingress
        {
            Metadata = new V1ObjectMeta { Name = "site" },
            Spec = new V1IngressSpec
            {
                IngressClassName = "flotilla",
                Tls = [new V1IngressTLS { Hosts = ["a.example.test"], SecretName = "a-tls" }],
                Rules =
                [
                    Rule("a.example.test", ("/", "web"), ("/api", "api")),
                    Rule("b.example.test", ("/", "api")),
                    Rule("c.example.test", ("/empty", "empty"), ("/dead", "dead")),
                ],
            },
        };
        await _client.NetworkingV1.CreateNamespacedIngressAsync(ingress, "default");

        using var stop = new CancellationTokenSource();
        var started = new TaskCompletionSource<IngressServer>();
        var ports = FreePorts.Take(2);
        var options = new IngressOptions { Http = new IPEndPoint(IPAddress.Loopback, ports[0]), Https = new IPEndPoint(IPAddress.Loopback, ports[1]) };
        var controller = IngressHost.RunAsync(_client, options, NullLoggerFactory.Instance, TimeProvider.System, stop.Token, started.SetResult);
        var server = await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        using var http = new HttpClient();

        Assert.Equal("web a.example.test http", await GetAsync(http, server.Http, "a.example.test", "/"));
        Assert.Equal("web a.example.test. http", await GetAsync(http, server.Http, "a.example.test.", "/"));
        Assert.Equal("api a.example.test http", await GetAsync(http, server.Http, "a.example.test", "/api/v1"));
        Assert.Equal("api b.example.test http", await GetAsync(http, server.Http, "b.example.test", "/"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(http, server.Http, "c.example.test", "/empty"));
        Assert.Equal(HttpStatusCode.BadGateway, await StatusAsync(http, server.Http, "c.example.test", "/dead"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(http, server.Http, "d.example.test", "/"));

        // HTTPS: the Secret's certificate for its host (checked against it), the fallback for others.
        var pem = await CertificatePemAsync("a-tls");
        using var trusting = Https(server.Https, certificate => certificate.Subject == "CN=a.example.test" && certificate.ExportCertificatePem() == pem);
        Assert.Equal("web a.example.test:" + server.Https.Port + " https", await trusting.GetStringAsync(new Uri($"https://a.example.test:{server.Https.Port}/")));
        using var fallback = Https(server.Https, certificate => certificate.Subject.Contains("Fake Certificate", StringComparison.Ordinal));
        Assert.StartsWith("api", await fallback.GetStringAsync(new Uri($"https://b.example.test:{server.Https.Port}/")), StringComparison.Ordinal);

        // A change applies to the next request on the same (kept-alive) connection.
        ingress = await _client.NetworkingV1.ReadNamespacedIngressAsync("site", "default");
        ingress.Spec.Rules[1].Http.Paths[0].Backend.Service.Name = "web";
        await _client.NetworkingV1.ReplaceNamespacedIngressAsync(ingress, "site", "default");
        Assert.Equal("web b.example.test http", await EventuallyAsync(() => GetAsync(http, server.Http, "b.example.test", "/"), v => v.StartsWith("web", StringComparison.Ordinal)));

        // The load balancer's addresses become the Ingress's.
        var balancer = await EventuallyAsync(() => _client.CoreV1.ReadNamespacedServiceAsync("flotilla-ingress", "kube-system"), _ => true);
        Assert.Equal([options.Http.Port, options.Https.Port], balancer.Spec.Ports.Select(p => p.Port));
        balancer.Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Ip = "127.0.0.1" }] } };
        await _client.CoreV1.ReplaceNamespacedServiceStatusAsync(balancer, "flotilla-ingress", "kube-system");
        var status = await EventuallyAsync(() => _client.NetworkingV1.ReadNamespacedIngressAsync("site", "default"), i => i.Status?.LoadBalancer?.Ingress is { Count: 1 });
        Assert.Equal("127.0.0.1", status.Status.LoadBalancer.Ingress[0].Ip);
        Assert.Equal("true", (await _client.NetworkingV1.ReadIngressClassAsync("flotilla")).Metadata.Annotations["ingressclass.kubernetes.io/is-default-class"]);

        await stop.CancelAsync();
        await controller;
    }

    private async Task ServiceAsync(string name, int port)
    {
        await _client.CoreV1.CreateNamespacedServiceAsync(new V1Service { Metadata = new V1ObjectMeta { Name = name }, Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Name = "http", Port = 80 }] } }, "default");
        await _client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(
            new V1EndpointSlice
            {
                Metadata = new V1ObjectMeta { Name = name + "-x", Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = name } },
                AddressType = "IPv4",
                Ports = [new Discoveryv1EndpointPort { Name = "http", Port = port, Protocol = "TCP" }],
                Endpoints = [new V1Endpoint { Addresses = ["127.0.0.1"], Conditions = new V1EndpointConditions { Ready = true } }],
            },
            "default");
    }

    private async Task<string> CertificatePemAsync(string secret)
    {
        var read = await _client.CoreV1.ReadNamespacedSecretAsync(secret, "default");
        return System.Text.Encoding.UTF8.GetString(read.Data["tls.crt"]).Trim();
    }

    private static V1IngressRule Rule(string host, params (string Path, string Service)[] paths) => new()
    {
        Host = host,
        Http = new V1HTTPIngressRuleValue { Paths = [.. paths.Select(p => new V1HTTPIngressPath { Path = p.Path, PathType = "Prefix", Backend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = p.Service, Port = new V1ServiceBackendPort { Number = 80 } } } })] },
    };

    /// <summary>A client that dials <paramref name="endpoint"/> whatever the URL's host (which it sends as SNI) and accepts a certificate <paramref name="accept"/> likes.</summary>
    private static HttpClient Https(IPEndPoint endpoint, Func<X509Certificate2, bool> accept) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(endpoint, ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is X509Certificate2 c && accept(c) },
    });

    private static async Task<string> GetAsync(HttpClient http, IPEndPoint endpoint, string host, string path)
    {
        using var response = await SendAsync(http, endpoint, host, path);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, IPEndPoint endpoint, string host, string path)
    {
        using var response = await SendAsync(http, endpoint, host, path);
        return response.StatusCode;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, IPEndPoint endpoint, string host, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"http://{endpoint}{path}");
        request.Headers.Host = host;
        return http.SendAsync(request);
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                var value = await read();
                if (done(value) || DateTime.UtcNow > deadline)
                {
                    return value;
                }
            }
            catch (k8s.Autorest.HttpOperationException) when (DateTime.UtcNow < deadline)
            {
            }

            await Task.Delay(100);
        }
    }
}
