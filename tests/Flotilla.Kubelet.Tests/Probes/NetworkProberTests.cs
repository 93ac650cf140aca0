using System.Net;
using System.Net.Sockets;
using Flotilla.Kubelet.Probes;
using Grpc.Health.V1;
using Grpc.HealthCheck;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Flotilla.Kubelet.Tests.Probes;

/// <summary>HTTP, TCP and gRPC probes against real servers on 127.0.0.1, with upstream's messages.</summary>
public sealed class NetworkProberTests : IAsyncLifetime
{
    // Generous: the first request to a fresh server on a busy machine (the whole suite) took over 1 s once; the slow case sets its own.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly NetworkProber _prober = new();
    private readonly HealthServiceImpl _health = new();
    private WebApplication _app = null!;
    private int _httpPort;
    private int _grpcPort;
    private string? _seenUserAgent;
    private string? _seenHeader;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http1);
            k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2);
        });
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(_health);
        _app = builder.Build();
        _app.MapGet("/healthz", (HttpContext c) =>
        {
            _seenUserAgent = c.Request.Headers.UserAgent;
            _seenHeader = c.Request.Headers["X-Probe"];
            return "ok";
        });
        _app.MapGet("/broken", () => Results.StatusCode(500));
        _app.MapGet("/moved", () => Results.Redirect("/healthz"));
        _app.MapGet("/elsewhere", (HttpContext c) => Results.Redirect($"http://localhost:{c.Connection.LocalPort}/healthz"));
        _app.MapGet("/loop", () => Results.Redirect("/loop"));
        _app.MapGet("/slow", async () => { await Task.Delay(TimeSpan.FromSeconds(2)); return "late"; });
        _app.MapGrpcService<HealthServiceImpl>();
        await _app.StartAsync();
        var ports = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a).Port).ToList();
        (_httpPort, _grpcPort) = (ports[0], ports[1]);
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _prober.Dispose();
    }

    [Fact]
    public async Task Http_SucceedsOn2xx_SendingTheProbesUserAgentAndHeaders()
    {
        var result = await _prober.HttpGetAsync(Url("/healthz"), [KeyValuePair.Create("X-Probe", "yes")], Timeout, anyStatus: false, CancellationToken.None);

        Assert.Equal(ProbeResult.Success("ok"), result);
        Assert.Equal(("kube-probe/1.32", "yes"), (_seenUserAgent, _seenHeader));
    }

    [Fact]
    public async Task Http_FollowsRedirects_AndFailsOnErrorsWithUpstreamsMessage()
    {
        Assert.Equal(ProbeOutcome.Success, (await _prober.HttpGetAsync(Url("/moved"), [], Timeout, anyStatus: false, CancellationToken.None)).Outcome);
        Assert.Equal(ProbeResult.Failure("HTTP probe failed with statuscode: 500"), await _prober.HttpGetAsync(Url("/broken"), [], Timeout, anyStatus: false, CancellationToken.None));
        Assert.Equal(ProbeOutcome.Success, (await _prober.HttpGetAsync(Url("/broken"), [], Timeout, anyStatus: true, CancellationToken.None)).Outcome);  // hooks take any answer
    }

    [Fact]
    public async Task Http_StopsAtARedirectToAnotherHost_WithAWarning_AndAfterTenRedirects()
    {
        // 127.0.0.1 to localhost is another host name: upstream answers with the redirect itself, a success with a warning.
        var elsewhere = await _prober.HttpGetAsync(Url("/elsewhere"), [], Timeout, anyStatus: false, CancellationToken.None);
        Assert.Equal(ProbeResult.Warned("Probe terminated redirects, Response body: "), elsewhere);
        Assert.Equal(ProbeResult.Failure($"Get \"{Url("/loop")}\": stopped after 10 redirects"), await _prober.HttpGetAsync(Url("/loop"), [], Timeout, anyStatus: false, CancellationToken.None));
    }

    [Fact]
    public async Task Http_TimesOut_AndReportsRefusedConnections()
    {
        var slow = await _prober.HttpGetAsync(Url("/slow"), [], TimeSpan.FromMilliseconds(300), anyStatus: false, CancellationToken.None);
        Assert.Equal(ProbeResult.Failure($"Get \"{Url("/slow")}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"), slow);

        var closed = ClosedPort();
        var refused = await _prober.HttpGetAsync(new Uri($"http://127.0.0.1:{closed}/"), [], Timeout, anyStatus: false, CancellationToken.None);
        Assert.Equal(ProbeResult.Failure($"Get \"http://127.0.0.1:{closed}/\": dial tcp 127.0.0.1:{closed}: connect: connection refused"), refused);
    }

    [Fact]
    public async Task Tcp_SucceedsWhenSomethingListens()
    {
        Assert.Equal(ProbeOutcome.Success, (await _prober.TcpAsync("127.0.0.1", _httpPort, Timeout, CancellationToken.None)).Outcome);
        var closed = ClosedPort();
        Assert.Equal(ProbeResult.Failure($"dial tcp 127.0.0.1:{closed}: connect: connection refused"), await _prober.TcpAsync("127.0.0.1", closed, Timeout, CancellationToken.None));
    }

    [Fact]
    public async Task Grpc_AsksTheHealthService()
    {
        _health.SetStatus("", HealthCheckResponse.Types.ServingStatus.Serving);
        _health.SetStatus("db", HealthCheckResponse.Types.ServingStatus.NotServing);

        Assert.Equal(ProbeOutcome.Success, (await _prober.GrpcAsync("127.0.0.1", _grpcPort, "", Timeout, CancellationToken.None)).Outcome);
        Assert.Equal(ProbeResult.Failure("service unhealthy (responded with \"NOT_SERVING\")"), await _prober.GrpcAsync("127.0.0.1", _grpcPort, "db", Timeout, CancellationToken.None));
        var down = await _prober.GrpcAsync("127.0.0.1", ClosedPort(), "", Timeout, CancellationToken.None);
        Assert.Equal(ProbeOutcome.Failure, down.Outcome);
        Assert.StartsWith("timeout: failed to connect service", down.Output, StringComparison.Ordinal);
    }

    private Uri Url(string path) => new($"http://127.0.0.1:{_httpPort}{path}");

    /// <summary>A port nothing listens on: bound, then released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
