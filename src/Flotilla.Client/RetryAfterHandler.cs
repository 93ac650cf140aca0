using System.Net;

namespace Flotilla.Client;

/// <summary>
/// client-go's retry on throttling: a request answered 429, or 5xx with a Retry-After header (the API server's
/// max-in-flight filter, a server starting up), is sent again after the delay the server asks for (1 s when it names
/// none, 10 s at most), up to 10 times; then the last answer goes to the caller.
/// </summary>
public sealed class RetryAfterHandler(TimeProvider? time = null) : DelegatingHandler
{
    public const int MaxRetries = 10;

    private static readonly TimeSpan DefaultDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var attempt = request;
        for (var retries = 0; ; retries++)
        {
            var response = await base.SendAsync(attempt, cancellationToken);
            if (retries >= MaxRetries || !Retryable(response, out var delay))
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(delay, _time, cancellationToken);
            attempt = Copy(request, body);
        }
    }

    private static bool Retryable(HttpResponseMessage response, out TimeSpan delay)
    {
        var after = response.Headers.RetryAfter?.Delta;
        delay = after is { } d ? (d > MaxDelay ? MaxDelay : d < TimeSpan.Zero ? TimeSpan.Zero : d) : DefaultDelay;
        return response.StatusCode == HttpStatusCode.TooManyRequests || ((int)response.StatusCode >= 500 && after is not null);
    }

    /// <summary>A sent request cannot be sent again: the same method, address, headers and body, anew.</summary>
    internal static HttpRequestMessage Copy(HttpRequestMessage request, byte[]? body)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version, VersionPolicy = request.VersionPolicy };
        foreach (var (name, values) in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(name, values);
        }

        if (body is not null)
        {
            copy.Content = new ByteArrayContent(body);
            foreach (var (name, values) in request.Content!.Headers)
            {
                copy.Content.Headers.TryAddWithoutValidation(name, values);
            }
        }

        foreach (var (key, value) in request.Options)
        {
            ((IDictionary<string, object?>)copy.Options)[key] = value;
        }

        return copy;
    }
}
