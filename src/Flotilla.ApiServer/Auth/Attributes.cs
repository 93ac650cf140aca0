using Flotilla.Api.Selectors;

namespace Flotilla.ApiServer.Auth;

/// <summary>
/// What a request asks to do, as authorizers see it (upstream's authorizer.Attributes): a verb on a resource
/// (group, resource, subresource, namespace, name) or on a non-resource path. A list or watch also carries its field
/// selector (upstream's AuthorizeWithSelectors), null when it has none or it does not parse.
/// </summary>
public sealed record Attributes(
    UserInfo User,
    string Verb,
    bool IsResourceRequest,
    string ApiGroup = "",
    string Resource = "",
    string Subresource = "",
    string Namespace = "",
    string Name = "",
    string Path = "",
    FieldSelector? FieldSelector = null);
