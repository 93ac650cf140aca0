using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Flotilla.Client;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Kubelet.Status;

/// <summary>
/// The kubelet's status manager: the latest status the kubelet computed for each pod, and one loop that writes what
/// changed through <c>pods/status</c> (a strategic merge patch bound to the pod's UID, or a static pod's mirror's). A burst of changes wakes the
/// loop once and each pod is written once, with its latest status, so 110 pods starting together do not flood the
/// API server; every 10 s anything not yet written (a failed write) is tried again, as upstream's syncBatch does.
/// </summary>
public sealed partial class PodStatusWriter(IKubernetes client, TimeProvider time, ILogger log)
{
    public static readonly TimeSpan SyncPeriod = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Wakeup _wake = new();

    /// <summary>Writes done so far (for the density benchmark and tests).</summary>
    public long Writes => Interlocked.Read(ref _writes);

    private long _writes;

    /// <summary>The latest status computed for the pod, written or not: what the next computation builds on.</summary>
    public V1PodStatus? Latest(string uid) => _entries.TryGetValue(uid, out var entry) ? entry.Status : null;

    /// <summary>Records the pod's status; the loop writes it unless it equals the last one.</summary>
    /// <param name="target">The UID of the API object to write to: the pod's own, or a static pod's mirror (null: none yet, nothing is written).</param>
    public void Set(V1Pod pod, V1PodStatus status, string? target)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(KubernetesJson.Serialize(status)));
        var uid = pod.Metadata.Uid;
        var changed = false;
        _entries.AddOrUpdate(
            uid,
            _ =>
            {
                changed = true;
                return new Entry(pod.Metadata.NamespaceProperty, pod.Metadata.Name, target, status, digest, 1, 0);
            },
            (_, old) =>
            {
                if (old.Digest.AsSpan().SequenceEqual(digest) && old.Target == target)
                {
                    return old;
                }

                changed = true;
                return old with { Target = target, Status = status, Digest = digest, Version = old.Version + 1 };
            });
        if (changed)
        {
            _wake.Set();
        }
    }

    public void Forget(string uid) => _entries.TryRemove(uid, out _);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(SyncPeriod, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await WriteChangedAsync(cancellationToken);
        }
    }

    /// <summary>Writes every status newer than what was last written (one pass of the loop).</summary>
    public async Task WriteChangedAsync(CancellationToken cancellationToken)
    {
        foreach (var (uid, entry) in _entries)
        {
            if (entry.Version <= entry.Written || entry.Target is null)
            {
                continue;
            }

            var patch = KubernetesJson.Serialize(new V1Pod { Metadata = new V1ObjectMeta { Uid = entry.Target }, Status = entry.Status });
            try
            {
                await client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), entry.Name, entry.Namespace, cancellationToken: cancellationToken);
                Interlocked.Increment(ref _writes);
                _entries.AddOrUpdate(uid, entry, (_, now) => now with { Written = Math.Max(now.Written, entry.Version) });
            }
            catch (HttpOperationException e) when (e.Response.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Conflict)
            {
                // The pod went, or was replaced by another of the same name: its status goes with it.
                _entries.TryRemove(KeyValuePair.Create(uid, entry));
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                LogWriteFailed(log, $"{entry.Namespace}/{entry.Name}", e.Message);  // tried again at the next pass
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "pod {Pod}: writing its status failed, retrying: {Error}")]
    private static partial void LogWriteFailed(ILogger log, string pod, string error);

    /// <param name="Digest">SHA-256 of the status' JSON: what tells a change, in 32 bytes rather than the JSON itself (memory per pod counts on hollow nodes).</param>
    /// <param name="Version">Bumped on every change.</param>
    /// <param name="Written">The version last written.</param>
    private sealed record Entry(string Namespace, string Name, string? Target, V1PodStatus Status, byte[] Digest, long Version, long Written);
}
