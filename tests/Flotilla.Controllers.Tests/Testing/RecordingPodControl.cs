using System.Collections.Concurrent;
using Flotilla.Controllers.Framework;
using k8s;
using k8s.Models;

namespace Flotilla.Controllers.Tests.Testing;

/// <summary>Records the pod writes a controller makes; creates fail once <see cref="FailCreatesAfter"/> have succeeded.</summary>
internal sealed class RecordingPodControl : IPodControl
{
    private int _created;

    public ConcurrentQueue<V1Pod> Created { get; } = new();

    public ConcurrentQueue<string> Deleted { get; } = new();

    public ConcurrentQueue<(string Name, string Patch)> Patched { get; } = new();

    public int FailCreatesAfter { get; set; } = int.MaxValue;

    /// <summary>Creates tried, failed ones included.</summary>
    public int CreateAttempts => Volatile.Read(ref _created);

    public ISet<string> GonePods { get; } = new HashSet<string>();

    public Task<V1Pod> CreateAsync(string ns, V1PodTemplateSpec template, IKubernetesObject<V1ObjectMeta> owner, V1OwnerReference controllerRef, CancellationToken cancellationToken) =>
        CreatePodAsync(ns, PodControl.FromTemplate(template, owner.Metadata.Name, controllerRef), owner, cancellationToken);

    public Task<V1Pod> CreatePodAsync(string ns, V1Pod pod, IKubernetesObject<V1ObjectMeta> owner, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _created) > FailCreatesAfter)
        {
            throw new InvalidOperationException("pods \"x\" is forbidden: exceeded quota");
        }

        pod.Metadata.NamespaceProperty = ns;
        Created.Enqueue(pod);
        return Task.FromResult(pod);
    }

    public Task DeleteAsync(string ns, string name, IKubernetesObject<V1ObjectMeta> owner, CancellationToken cancellationToken)
    {
        Deleted.Enqueue(name);
        return Task.CompletedTask;
    }

    public Task PatchAsync(string ns, string name, string strategicMergePatch, CancellationToken cancellationToken)
    {
        Patched.Enqueue((name, strategicMergePatch));
        return Task.CompletedTask;
    }
}
