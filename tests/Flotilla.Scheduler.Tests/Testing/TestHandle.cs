using Flotilla.Client;
using Flotilla.Client.Events;
using Flotilla.Client.Informers;
using Flotilla.Scheduler.Framework;
using k8s;
using k8s.Models;

namespace Flotilla.Scheduler.Tests.Testing;

/// <summary>
/// A framework handle over a snapshot, for plugins that also read informers: the informers are never started, their
/// caches are filled directly with the objects given. Members plugins must not use in unit tests throw.
/// </summary>
internal sealed class TestHandle : IFrameworkHandle, IAsyncDisposable
{
    // Never contacted: the informers built on it are not started.
    private readonly Kubernetes _client = new(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" });

    public TestHandle(INodeInfoLister snapshot, IEnumerable<IKubernetesObject<V1ObjectMeta>>? objects = null)
    {
        Snapshot = snapshot;
        Informers = new SharedInformerFactory(_client, TimeProvider.System);
        foreach (var obj in objects ?? [])
        {
            switch (obj)
            {
                case V1Service service:
                    Cache(service);
                    break;
                case V1ReplicationController rc:
                    Cache(rc);
                    break;
                case V1ReplicaSet rs:
                    Cache(rs);
                    break;
                case V1StatefulSet ss:
                    Cache(ss);
                    break;
                case V1Namespace ns:
                    Cache(ns);
                    break;
                default:
                    throw new ArgumentException($"no informer for {obj.GetType().Name} in tests", nameof(objects));
            }
        }
    }

    public INodeInfoLister Snapshot { get; }

    public IKubernetes Client => _client;

    public SharedInformerFactory Informers { get; }

    public IEventRecorder Recorder => throw new NotSupportedException();

    public TimeProvider Time => TimeProvider.System;

    public IReadOnlyList<PodInfo> NominatedPodsForNode(string nodeName) => [];

    public Status RunFilterPluginsWithNominatedPods(CycleState state, V1Pod pod, NodeInfo node) => throw new NotSupportedException();

    public Status RunPreFilterExtensionAddPod(CycleState state, V1Pod podToSchedule, PodInfo podToAdd, NodeInfo node) => throw new NotSupportedException();

    public Status RunPreFilterExtensionRemovePod(CycleState state, V1Pod podToSchedule, PodInfo podToRemove, NodeInfo node) => throw new NotSupportedException();

    public async ValueTask DisposeAsync()
    {
        await Informers.DisposeAsync();
        _client.Dispose();
    }

    private void Cache<T>(T obj)
        where T : class, IKubernetesObject<V1ObjectMeta> => Informers.Informer<T>().Indexer.Upsert(ObjectKeys.Of(obj), obj);
}
