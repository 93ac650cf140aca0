using k8s.Models;

namespace Flotilla.ApiServer.Admission.PodSecurity;

/// <summary>What the PodSecurity plugin reads besides the request: namespaces (their labels) and a namespace's pods.</summary>
public interface IPodSecurityLookup
{
    /// <summary>The namespace, or null when it does not exist.</summary>
    Task<V1Namespace?> GetNamespaceAsync(string name, CancellationToken cancellationToken);

    /// <summary>The pods of a namespace (shared objects: read, never change).</summary>
    Task<IReadOnlyList<V1Pod>> ListPodsAsync(string ns, CancellationToken cancellationToken);
}
