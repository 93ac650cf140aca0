using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Flotilla.Api.Certificates;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Flotilla.Kubelet.Server;

/// <summary>
/// Who may use the kubelet's API, decided as upstream's kubelet does with webhook authentication and authorization:
/// a client certificate signed by the cluster CA, or a bearer token the API server vouches for (TokenReview); no
/// anonymous requests. Each request is then authorized by the API server (SubjectAccessReview) as a verb on the
/// node's <c>nodes/proxy</c>, <c>nodes/log</c>, <c>nodes/stats</c> or <c>nodes/metrics</c>. Answers are cached as
/// upstream's defaults say: tokens 2 min, allowed 5 min, denied 30 s.
/// </summary>
/// <param name="client">The client reviews go through (a node's identity may create TokenReviews and SubjectAccessReviews).</param>
/// <param name="clientCa">The CA whose client certificates are accepted.</param>
public sealed class KubeletAuth(IKubernetes client, X509Certificate2 clientCa, TimeProvider time)
{
    public static readonly TimeSpan TokenTtl = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan AllowedTtl = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan DeniedTtl = TimeSpan.FromSeconds(30);
    private const int MaxCached = 10_000;

    private readonly ConcurrentDictionary<string, (KubeletUser? User, DateTimeOffset Until)> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (KubeletUser User, DateTimeOffset Until)> _certificates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (bool Allowed, DateTimeOffset Until)> _decisions = new(StringComparer.Ordinal);

    /// <summary>The subresource a kubelet path is authorized as (upstream's GetRequestAttributes).</summary>
    public static KubeletAttributes Attributes(KubeletUser user, string nodeName, string method, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var verb = method switch
        {
            "POST" => "create",
            "GET" => "get",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => "delete",
            _ => string.Empty,
        };
        var subresource = IsSubpath(path, "/stats") ? "stats"
            : IsSubpath(path, "/metrics") ? "metrics"
            : IsSubpath(path, "/logs") ? "log"
            : IsSubpath(path, "/checkpoint") ? "checkpoint"
            : "proxy";
        return new KubeletAttributes(user, verb, nodeName, subresource);
    }

    /// <summary>The caller, or null when it proved no identity.</summary>
    public async Task<KubeletUser?> AuthenticateAsync(HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var now = time.GetUtcNow();
        if (await context.Connection.GetClientCertificateAsync(cancellationToken) is { } certificate)
        {
            if (_certificates.TryGetValue(certificate.Thumbprint, out var known) && known.Until > now)
            {
                return known.User;
            }

            var (name, groups, _) = ClientCertificates.Verify(certificate, clientCa, now);
            if (name is not null)
            {
                var user = new KubeletUser(name, groups);
                Remember(_certificates, certificate.Thumbprint, (user, now + TokenTtl));
                return user;
            }
        }

        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header[7..].Trim() is not { Length: > 0 } token)
        {
            return null;
        }

        if (_tokens.TryGetValue(token, out var cached) && cached.Until > now)
        {
            return cached.User;
        }

        var review = await client.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview { Spec = new V1TokenReviewSpec { Token = token } }, cancellationToken: cancellationToken);
        var reviewed = review.Status is { Authenticated: true, User: { } u }
            ? new KubeletUser(u.Username, u.Groups?.ToList() ?? [], u.Uid ?? string.Empty, u.Extra?.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)[.. e.Value]))
            : null;
        Remember(_tokens, token, (reviewed, now + TokenTtl));
        return reviewed;
    }

    /// <summary>Whether the API server allows it (SubjectAccessReview), from the cache when it answered lately.</summary>
    public async Task<bool> AuthorizeAsync(KubeletAttributes attributes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var key = attributes.CacheKey();
        var now = time.GetUtcNow();
        if (_decisions.TryGetValue(key, out var cached) && cached.Until > now)
        {
            return cached.Allowed;
        }

        var user = attributes.User;
        var review = await client.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview
        {
            Spec = new V1SubjectAccessReviewSpec
            {
                User = user.Name,
                Groups = [.. user.Groups],
                Uid = user.Uid.Length > 0 ? user.Uid : null,
                Extra = user.Extra?.ToDictionary(e => e.Key, e => (IList<string>)[.. e.Value]),
                ResourceAttributes = new V1ResourceAttributes
                {
                    Verb = attributes.Verb,
                    Group = string.Empty,
                    Version = "v1",
                    Resource = "nodes",
                    Subresource = attributes.Subresource,
                    Name = attributes.NodeName,
                },
            },
        }, cancellationToken: cancellationToken);
        var allowed = review.Status?.Allowed == true;
        Remember(_decisions, key, (allowed, now + (allowed ? AllowedTtl : DeniedTtl)));
        return allowed;
    }

    private static bool IsSubpath(string path, string prefix) =>
        path == prefix || path.StartsWith(prefix + "/", StringComparison.Ordinal);

    private static void Remember<T>(ConcurrentDictionary<string, T> cache, string key, T value)
    {
        if (cache.Count >= MaxCached)
        {
            cache.Clear();
        }

        cache[key] = value;
    }
}

/// <summary>Who called the kubelet (upstream's user.Info).</summary>
public sealed record KubeletUser(string Name, IReadOnlyList<string> Groups, string Uid = "", IReadOnlyDictionary<string, IReadOnlyList<string>>? Extra = null);

/// <summary>What a kubelet request is authorized as: a verb on the node's subresource.</summary>
public sealed record KubeletAttributes(KubeletUser User, string Verb, string NodeName, string Subresource)
{
    /// <summary>Upstream's words for a denied request (403; v1.32 lists the subresources tried).</summary>
    public string Forbidden() => $"Forbidden (user={User.Name}, verb={Verb}, resource=nodes, subresource(s)=[{Subresource}])\n";

    /// <summary>Upstream's words when the authorizer failed (500).</summary>
    public string AuthorizationError() => $"Authorization error (user={User.Name}, verb={Verb}, resource=nodes, subresource={Subresource})";

    internal string CacheKey() =>
        string.Join('\n', User.Name, string.Join(',', User.Groups), User.Uid, Verb, NodeName, Subresource,
            string.Join(';', (User.Extra ?? new Dictionary<string, IReadOnlyList<string>>()).OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Key + "=" + string.Join(',', e.Value))));
}
