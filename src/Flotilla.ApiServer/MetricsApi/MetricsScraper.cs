using Flotilla.ApiServer.Kubelets;
using Flotilla.ApiServer.Registry;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Flotilla.ApiServer.MetricsApi;

/// <summary>
/// The built-in metrics server's scraping (metrics-server's loop): every resolution, each node's kubelet is asked
/// for <c>/metrics/resource</c> with the API server's kubelet identity, within 90 % of the resolution, and what it
/// says is kept in the <see cref="MetricsStore"/>. A node that cannot be read is logged when it starts and stops failing.
/// </summary>
public sealed partial class MetricsScraper(MetricsStore store, ResourceRegistry registry, KubeletConnections kubelets, TimeProvider time, ILogger<MetricsScraper> log) : BackgroundService
{
    private const int Parallel = 16;
    private readonly HashSet<string> _failing = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(store.Resolution, time);
        do
        {
            try
            {
                await ScrapeAllAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogScrapeFailed(log, "*", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task ScrapeAllAsync(CancellationToken cancellationToken)
    {
        var nodes = (await registry.Find(string.Empty, "v1", "nodes")!.ListAsync(null, new ListRequest(), cancellationToken)).Items.Cast<V1Node>().ToList();
        store.Retain(nodes.Select(n => n.Metadata.Name).ToHashSet(StringComparer.Ordinal));
        await System.Threading.Tasks.Parallel.ForEachAsync(nodes, new ParallelOptions { MaxDegreeOfParallelism = Parallel, CancellationToken = cancellationToken }, async (node, ct) =>
        {
            var name = node.Metadata.Name;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(store.Resolution * 0.9);
            try
            {
                var location = await kubelets.LocationAsync(registry, name, timeout.Token);
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(location, "/metrics/resource"));
                var started = time.GetUtcNow();
                using var response = await kubelets.SendAsync(request, insecureSkipTlsVerify: false, timeout.Token);
                if (!response.IsSuccessStatusCode)
                {
                    throw new HttpRequestException($"request failed, status: \"{(int)response.StatusCode} {response.ReasonPhrase}\"");
                }

                store.Store(name, ResourceMetricsParser.Parse(await response.Content.ReadAsStringAsync(timeout.Token), started));
                Recovered(name);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or Api.Errors.StatusException && !ct.IsCancellationRequested)
            {
                Failed(name, e is OperationCanceledException ? "timed out" : e.Message);
            }
        });
    }

    private void Failed(string node, string why)
    {
        lock (_failing)
        {
            if (_failing.Add(node))
            {
                LogScrapeFailed(log, node, why);
            }
        }
    }

    private void Recovered(string node)
    {
        lock (_failing)
        {
            if (_failing.Remove(node))
            {
                LogScrapeRecovered(log, node);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "metrics: scraping node {Node} failed: {Error}")]
    private static partial void LogScrapeFailed(ILogger log, string node, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "metrics: scraping node {Node} works again")]
    private static partial void LogScrapeRecovered(ILogger log, string node);
}
