using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Watch;

/// <summary>
/// An object as the watch cache holds it: its JSON (resourceVersion set) made once, and the decoded model made on
/// first use — plain JSON lists and watches without selectors never need it.
/// </summary>
public sealed class CachedObject(string key, byte[] json, long revision, Func<IKubernetesObject<V1ObjectMeta>> decode)
{
    private readonly Lazy<IKubernetesObject<V1ObjectMeta>> _object = new(decode);

    public string Key { get; } = key;

    public byte[] Json { get; } = json;

    public long Revision { get; } = revision;

    public IKubernetesObject<V1ObjectMeta> Object => _object.Value;
}
