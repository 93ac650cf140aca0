using System.Diagnostics;
using Flotilla.Api.Errors;
using Microsoft.AspNetCore.Http;

namespace Flotilla.ApiServer.Http;

/// <summary>
/// kube-apiserver's max-in-flight filter and request timeout: at most 400 reads and 200 writes at once (long-running
/// requests excluded: watches, logs, proxies), 429 with Retry-After beyond that; non-watch requests are cut at 60 s.
/// Also records the request metrics.
/// </summary>
public sealed class RequestLimits(int maxReads = 400, int maxMutating = 200, TimeSpan? timeout = null)
{
    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromSeconds(60);
    private int _reads;
    private int _mutating;

    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var path = context.Request.Path.Value ?? string.Empty;
        if (!path.StartsWith("/api", StringComparison.Ordinal))
        {
            await next();
            return;
        }

        var watch = QueryOptions.IsTrue(context.Request.Query["watch"].ToString());
        var mutating = context.Request.Method is not ("GET" or "HEAD" or "OPTIONS");
        var info = Describe(context, watch);
        if (RequestInfo.IsLongRunning(watch ? "watch" : info.Verb.ToLowerInvariant(), info.Subresource))
        {
            var watchers = ApiMetrics.Watchers.WithLabels(info.Verb, info.Group, info.Resource);
            watchers.Inc();
            try
            {
                await next();
            }
            finally
            {
                watchers.Dec();
            }

            return;
        }

        ref var counter = ref mutating ? ref _mutating : ref _reads;
        var limit = mutating ? maxMutating : maxReads;
        if (Interlocked.Increment(ref counter) > limit)
        {
            Interlocked.Decrement(ref counter);
            ApiMetrics.Rejected.WithLabels(mutating ? "mutating" : "readOnly").Inc();
            await ApiResponse.WriteStatusAsync(context, StatusException.TooManyRequests("Too many requests, please try again later.", 1));
            Record(context, info, 0);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var aborted = context.RequestAborted;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        deadline.CancelAfter(_timeout);
        context.RequestAborted = deadline.Token;
        try
        {
            await next();
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !aborted.IsCancellationRequested && !context.Response.HasStarted)
        {
            await ApiResponse.WriteStatusAsync(context, StatusException.Timeout("Timeout: request did not complete within requested timeout - context deadline exceeded", 0));
        }
        finally
        {
            Interlocked.Decrement(ref mutating ? ref _mutating : ref _reads);
            Record(context, info, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    private static void Record(HttpContext context, (string Verb, string Group, string Resource, string Subresource) info, double seconds)
    {
        ApiMetrics.Requests.WithLabels(info.Verb, info.Group, info.Resource, info.Subresource, context.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
        if (seconds > 0)
        {
            ApiMetrics.RequestDuration.WithLabels(info.Verb, info.Group, info.Resource, info.Subresource).Observe(seconds);
        }
    }

    private static (string Verb, string Group, string Resource, string Subresource) Describe(HttpContext context, bool watch)
    {
        var segments = (context.Request.Path.Value ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries);
        var legacy = segments.Length > 0 && segments[0] == "api";
        var info = RequestInfoParser.Parse(legacy, segments.Skip(1).ToList(), context.Request.Method, watch);
        return info is null
            ? (context.Request.Method, string.Empty, string.Empty, string.Empty)
            : (info.Verb.ToUpperInvariant(), info.Group, info.Resource, info.Subresource ?? string.Empty);
    }
}
