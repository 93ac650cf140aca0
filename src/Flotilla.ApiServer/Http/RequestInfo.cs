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
    string? Subresource);
