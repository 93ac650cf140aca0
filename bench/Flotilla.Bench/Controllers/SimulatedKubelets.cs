using System.Globalization;
using Flotilla.Client;
using Flotilla.Client.Informers;
using Flotilla.Client.WorkQueue;
using Flotilla.Controllers.Framework;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flotilla.Bench.Controllers;

/// <summary>
/// Stand-in kubelets for the <c>controllers</c> benchmark until the hollow kubelet (#7) exists: for every node they
/// renew its Lease every 10 s, report each pod bound to it Running and Ready with an IP, and finish each pod being
/// deleted there at once (grace 0), as a kubelet whose containers stop instantly would. No processes run.
/// </summary>
public sealed class SimulatedKubelets(IKubernetes client, IReadOnlyList<string> nodes)
{
    private const int Workers = 32;
    private int _started;
    private int _finished;
    private int _ip;

    public int Started => Volatile.Read(ref _started);

    public int Finished => Volatile.Read(ref _finished);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var informers = new SharedInformerFactory(client, TimeProvider.System, NullLoggerFactory.Instance);
        var pods = informers.Informer<V1Pod>();
        using var queue = new WorkQueue<string>("simulated-kubelets", TimeProvider.System);
        pods.AddEventHandler(new ResourceEventHandler<V1Pod>
        {
            OnAdd = (pod, _) => Consider(pod, queue),
            OnUpdate = (_, pod) => Consider(pod, queue),
        });
        informers.Start();
        await informers.WaitForCacheSyncAsync(cancellationToken);
        await Task.WhenAll(
            RenewLeasesAsync(cancellationToken),
            new ControllerLoop("simulated-kubelets", queue, (key, token) => SyncAsync(pods.Lister, key, token), NullLogger.Instance).RunAsync(Workers, cancellationToken));
    }

    private static void Consider(V1Pod pod, WorkQueue<string> queue)
    {
        if (!string.IsNullOrEmpty(pod.Spec?.NodeName) && (pod.Metadata.DeletionTimestamp is not null || pod.Status?.Phase == "Pending"))
        {
            queue.Add(ObjectKeys.Of(pod));
        }
    }

    private async Task SyncAsync(Lister<V1Pod> pods, string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        if (pods.Get(ns, name) is not { } pod)
        {
            return;
        }

        try
        {
            if (pod.Metadata.DeletionTimestamp is not null)
            {
                await client.CoreV1.DeleteNamespacedPodAsync(name, ns, new V1DeleteOptions { GracePeriodSeconds = 0, Preconditions = new V1Preconditions { Uid = pod.Metadata.Uid } }, cancellationToken: cancellationToken);
                Interlocked.Increment(ref _finished);
                return;
            }

            if (pod.Status?.Phase != "Pending")
            {
                return;
            }

            var n = Interlocked.Increment(ref _ip);
            var ip = $"10.42.{n / 250 % 250}.{(n % 250) + 1}";
            var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            var patch = $$$"""{"status":{"phase":"Running","podIP":"{{{ip}}}","podIPs":[{"ip":"{{{ip}}}"}],"startTime":"{{{now}}}","conditions":[{"type":"Ready","status":"True","lastTransitionTime":"{{{now}}}"},{"type":"ContainersReady","status":"True","lastTransitionTime":"{{{now}}}"}]}}""";
            await client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), name, ns, cancellationToken: cancellationToken);
            Interlocked.Increment(ref _started);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e) || ApiErrors.IsConflict(e))
        {
            // Gone or replaced meanwhile.
        }
    }

    private async Task RenewLeasesAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Parallel.ForEachAsync(nodes, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (node, token) =>
            {
                var lease = new V1Lease { Metadata = new V1ObjectMeta { Name = node }, Spec = new V1LeaseSpec { HolderIdentity = node, LeaseDurationSeconds = 40, RenewTime = DateTime.UtcNow } };
                try
                {
                    await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, node, "kube-node-lease", cancellationToken: token);
                }
                catch (Exception e) when (ApiErrors.IsNotFound(e))
                {
                    await client.CoordinationV1.CreateNamespacedLeaseAsync(lease, "kube-node-lease", cancellationToken: token);
                }
            });
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(10), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
