using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Registry;

/// <summary>One page of a list, consistent at <paramref name="Revision"/>; <paramref name="Continue"/> fetches the next.</summary>
public sealed record ListPage(IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Items, long Revision, string? Continue);
