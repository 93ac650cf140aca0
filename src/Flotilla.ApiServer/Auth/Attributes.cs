namespace Flotilla.ApiServer.Auth;

/// <summary>
/// What a request asks to do, as authorizers see it (upstream's authorizer.Attributes): a verb on a resource
/// (group, resource, subresource, namespace, name) or on a non-resource path.
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
    string Path = "");
