using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Registry;

/// <summary>A list as the query asked for it: which objects (filter), how many, from where, at which revision.</summary>
public sealed record ListRequest(
    Func<IKubernetesObject<V1ObjectMeta>, bool>? Filter = null,
    long Limit = 0,
    string? Continue = null,
    string? ResourceVersion = null,
    string? ResourceVersionMatch = null);
