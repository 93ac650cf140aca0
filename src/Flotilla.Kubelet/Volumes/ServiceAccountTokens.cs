using System.Collections.Concurrent;
using System.Globalization;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Kubelet.Volumes;

/// <summary>
/// The kubelet's token manager (upstream's pkg/kubelet/token): ServiceAccount tokens requested through TokenRequest
/// and cached per account, audiences, lifetime and bound object; a token is requested again once past 80 % of its
/// lifetime or 24 h old (less up to 10 s of jitter), expired ones are dropped every minute, and a pod's go with it.
/// </summary>
public sealed partial class ServiceAccountTokens(IKubernetes client, TimeProvider time, ILogger log)
{
    public static readonly TimeSpan GcPeriod = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxTtl = TimeSpan.FromHours(24);
    private const int MaxJitterSeconds = 10;

    private readonly ConcurrentDictionary<string, Entry> _cache = new(StringComparer.Ordinal);

    /// <summary>How many tokens are held.</summary>
    public int Count => _cache.Count;

    /// <summary>A token for the account, from the cache while it is fresh; a failed refresh keeps a still-valid token.</summary>
    public async Task<string> GetAsync(string ns, string serviceAccount, Authenticationv1TokenRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = Key(ns, serviceAccount, request);
        _cache.TryGetValue(key, out var cached);
        if (cached is not null && !RequiresRefresh(cached.Issued))
        {
            return cached.Issued.Status.Token;
        }

        try
        {
            var issued = await client.CoreV1.CreateNamespacedServiceAccountTokenAsync(request, serviceAccount, ns, cancellationToken: cancellationToken);
            _cache[key] = new Entry(ns, serviceAccount, request, issued);
            return issued.Status.Token;
        }
        catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException)
        {
            var why = Client.ApiErrors.Describe(e);
            if (cached is null)
            {
                throw new TokenException($"failed to fetch token: {why}");
            }

            if (time.GetUtcNow() > Expiry(cached.Issued))
            {
                throw new TokenException($"token {key} expired and refresh failed: {why}");
            }

            LogRefreshFailed(log, key, why);
            return cached.Issued.Status.Token;
        }
    }

    /// <summary>Requests again every token that is due (the refresh a running pod's projected volume gets), and drops expired ones.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var (key, entry) in _cache)
        {
            if (now > Expiry(entry.Issued))
            {
                _cache.TryRemove(key, out _);
            }
            else if (RequiresRefresh(entry.Issued))
            {
                try
                {
                    await GetAsync(entry.Namespace, entry.ServiceAccount, entry.Request, cancellationToken);
                }
                catch (TokenException e)
                {
                    LogRefreshFailed(log, key, e.Message);
                }
            }
        }
    }

    /// <summary>Forgets the tokens bound to a pod that is gone.</summary>
    public void DeleteForPod(string podUid)
    {
        foreach (var (key, entry) in _cache)
        {
            if (entry.Request.Spec.BoundObjectRef?.Uid == podUid)
            {
                _cache.TryRemove(key, out _);
            }
        }
    }

    /// <summary>Upstream's requiresRefresh: past 80 % of the lifetime, or a day old, less a jitter of up to 10 s.</summary>
    internal bool RequiresRefresh(Authenticationv1TokenRequest issued)
    {
        if (issued.Spec.ExpirationSeconds is not { } seconds)
        {
            return false;
        }

        var now = time.GetUtcNow();
        var exp = Expiry(issued);
        var iat = exp - TimeSpan.FromSeconds(seconds);
        var jitter = TimeSpan.FromSeconds(Random.Shared.Next(MaxJitterSeconds + 1));
        return now > iat + MaxTtl - jitter
            || now > exp - TimeSpan.FromSeconds(seconds * 20 / 100) - jitter
            || now < iat;
    }

    private static DateTimeOffset Expiry(Authenticationv1TokenRequest issued) =>
        issued.Status.ExpirationTimestamp is { } at ? new(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : DateTimeOffset.MinValue;

    /// <summary>Upstream's keyFunc: account, namespace, audiences, lifetime and bound object.</summary>
    private static string Key(string ns, string serviceAccount, Authenticationv1TokenRequest request)
    {
        var spec = request.Spec;
        var bound = spec.BoundObjectRef;
        return string.Join('/',
            serviceAccount,
            ns,
            string.Join(',', spec.Audiences ?? []),
            (spec.ExpirationSeconds ?? 0).ToString(CultureInfo.InvariantCulture),
            bound is null ? string.Empty : $"{bound.ApiVersion}:{bound.Kind}:{bound.Name}:{bound.Uid}");
    }

    private sealed record Entry(string Namespace, string ServiceAccount, Authenticationv1TokenRequest Request, Authenticationv1TokenRequest Issued);

    [LoggerMessage(Level = LogLevel.Warning, Message = "token {Key}: refreshing failed, the current token stays: {Error}")]
    private static partial void LogRefreshFailed(ILogger log, string key, string error);
}

/// <summary>A token the kubelet could not get; the message is what the pod's FailedMount event says.</summary>
public sealed class TokenException(string message) : Exception(message);
