using Flotilla.ApiServer.Admission.PodSecurity;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Admission.PodSecurity;

/// <summary>Namespaces and pods held in memory for the plugin's unit tests.</summary>
internal sealed class FakeLookup : IPodSecurityLookup
{
    public Dictionary<string, V1Namespace> Namespaces { get; } = [];

    public List<V1Pod> Pods { get; } = [];

    public V1Namespace AddNamespace(string name, params (string Key, string Value)[] labels)
    {
        var ns = new V1Namespace { Metadata = new V1ObjectMeta { Name = name, Labels = labels.ToDictionary(l => l.Key, l => l.Value) } };
        Namespaces[name] = ns;
        return ns;
    }

    public Task<V1Namespace?> GetNamespaceAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(Namespaces.GetValueOrDefault(name));

    public Task<IReadOnlyList<V1Pod>> ListPodsAsync(string ns, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<V1Pod>>([.. Pods.Where(p => p.Metadata.NamespaceProperty == ns)]);
}
