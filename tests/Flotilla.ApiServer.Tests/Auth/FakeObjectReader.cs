using Flotilla.ApiServer.Auth;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Auth;

/// <summary>Objects by kind, namespace and name, for authenticator tests.</summary>
public sealed class FakeObjectReader : IObjectReader
{
    private readonly Dictionary<(Type, string?, string), IKubernetesObject<V1ObjectMeta>> _objects = [];

    public T Add<T>(T obj)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        _objects[(typeof(T), obj.Metadata.NamespaceProperty, obj.Metadata.Name)] = obj;
        return obj;
    }

    public void Remove<T>(string? ns, string name) => _objects.Remove((typeof(T), ns, name));

    public ValueTask<T?> GetAsync<T>(string? ns, string name, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        ValueTask.FromResult(_objects.TryGetValue((typeof(T), ns, name), out var obj) ? (T)obj : null);
}
