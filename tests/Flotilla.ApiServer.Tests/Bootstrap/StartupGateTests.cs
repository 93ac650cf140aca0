using System.Net;
using Flotilla.Storage.Memory;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Flotilla.ApiServer.Tests.Bootstrap;

/// <summary>A server that listens before its bootstrap is done answers API requests 503 with Retry-After, then serves.</summary>
public sealed class StartupGateTests
{
    [Fact]
    public async Task BeforeTheBootstrap_ApiRequestsAre503WithRetryAfter_HealthIsServed_ThenTheApiIs()
    {
        await using var store = new MemoryStore(TimeProvider.System);
        await using var app = ApiServerHost.Build(new ApiServerOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0) }, store);
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()) };

            using var early = await http.GetAsync(new Uri("/api/v1/namespaces", UriKind.Relative));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, early.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), early.Headers.RetryAfter?.Delta);
            var status = await early.Content.ReadAsStringAsync();
            Assert.Contains("\"reason\":\"ServiceUnavailable\"", status, StringComparison.Ordinal);
            Assert.Contains("\"code\":503", status, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync(new Uri("/apis/apps/v1/deployments", UriKind.Relative))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/livez", UriKind.Relative))).StatusCode);

            await ApiServerHost.BootstrapAsync(app, new IPEndPoint(IPAddress.Loopback, 6443), CancellationToken.None);

            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/api/v1/namespaces", UriKind.Relative))).StatusCode);
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
