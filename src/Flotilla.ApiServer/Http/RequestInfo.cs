namespace Flotilla.ApiServer.Http;

/// <summary>
/// What a resource request asks for, parsed from its path and method as upstream's RequestInfoFactory does:
/// <c>GET /apis/apps/v1/namespaces/default/deployments/web/scale</c> is verb get, group apps, version v1, namespace
/// default, resource deployments, name web, subresource scale.
/// </summary>
public sealed record RequestInfo(
    string Verb,
    string Group,
    string Version,
    string? Namespace,
    string Resource,
    string? Name,
    string? Subresource)
{
    private static readonly HashSet<string> LongRunningVerbs = ["watch", "proxy"];
    private static readonly HashSet<string> LongRunningSubresources = ["attach", "exec", "proxy", "log", "portforward"];

    /// <summary>For <c>proxy</c>: the path after it (<c>/api/v1/nodes/n1/proxy/pods</c> → <c>pods</c>).</summary>
    public string? ProxyPath { get; init; }

    /// <summary>
    /// Upstream's BasicLongRunningRequestCheck: watches, proxies, logs, exec, attach and port-forward run as long as
    /// they need, outside the request timeout and the in-flight limits.
    /// </summary>
    public static bool IsLongRunning(string verb, string? subresource) =>
        LongRunningVerbs.Contains(verb) || (subresource is not null && LongRunningSubresources.Contains(subresource));
}
