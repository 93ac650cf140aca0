using Flotilla.Api.Serialization;
using Flotilla.Client;
using Flotilla.Client.Events;
using Flotilla.Controllers.Framework;
using k8s.Models;

namespace Flotilla.Controllers.DaemonSet;

/// <summary>Which pods a DaemonSet creates and deletes (upstream's manage, podsShouldBeOnNode, syncNodes and rollingUpdate).</summary>
public sealed partial class DaemonSetController
{
    private async Task<string?> ManageAsync(string key, V1DaemonSet ds, IReadOnlyList<V1Node> nodes, List<V1Pod> pods, string hash, CancellationToken cancellationToken)
    {
        var byNode = ByNode(pods);
        var needing = new List<string>();
        var toDelete = new List<V1Pod>();
        var now = _time.GetUtcNow();
        foreach (var node in nodes)
        {
            var nodeName = node.Metadata.Name;
            var (shouldRun, shouldContinueRunning) = DaemonNodes.ShouldRun(node, ds);
            var exists = byNode.TryGetValue(nodeName, out var here);
            if (shouldRun && !exists)
            {
                needing.Add(nodeName);
            }
            else if (shouldContinueRunning && exists)
            {
                var running = new List<V1Pod>();
                foreach (var pod in here!.Where(p => p.Metadata.DeletionTimestamp is null))
                {
                    if (pod.Status?.Phase == "Failed")
                    {
                        // The kubelet may keep rejecting it: back off before replacing it again (1 s doubling to 15 min).
                        var backOffKey = $"{ds.Metadata.Uid}/{ds.Status?.ObservedGeneration ?? 0}/{nodeName}";
                        if (_failedPodBackOff.TryGetValue(backOffKey, out var entry) && now - entry.Since < entry.Delay)
                        {
                            Queue.AddAfter(key, entry.Delay - (now - entry.Since));
                            continue;
                        }

                        var delay = entry.Delay == TimeSpan.Zero ? FailedPodBackOffInitial : TimeSpan.FromTicks(Math.Min(entry.Delay.Ticks * 2, FailedPodBackOffMax.Ticks));
                        _failedPodBackOff[backOffKey] = (delay, now);
                        _events.Event(ds, EventTypes.Warning, "FailedDaemonPod", $"Found failed daemon pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} on node {nodeName}, will try to kill it");
                        toDelete.Add(pod);
                    }
                    else if (pod.Status?.Phase == "Succeeded")
                    {
                        _events.Event(ds, EventTypes.Normal, "SucceededDaemonPod", $"Found succeeded daemon pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} on node {nodeName}, will try to delete it");
                        toDelete.Add(pod);
                    }
                    else
                    {
                        running.Add(pod);
                    }
                }

                toDelete.AddRange(Surplus(ds, running, hash, now, shouldRun, needing, nodeName));
            }
            else if (!shouldContinueRunning && exists)
            {
                toDelete.AddRange(here!.Where(p => p.Metadata.DeletionTimestamp is null));
            }
        }

        // Pods for nodes that are gone.
        var known = nodes.Select(n => n.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        toDelete.AddRange(pods.Where(p => string.IsNullOrEmpty(p.Spec?.NodeName) && p.Metadata.DeletionTimestamp is null && DaemonNodes.TargetNode(p) is { } target && !known.Contains(target)));
        return await SyncNodesAsync(key, ds, toDelete, needing, hash, cancellationToken);
    }

    /// <summary>
    /// Which running pods on a node go (upstream's podsShouldBeOnNode): without surge all but the oldest; with surge
    /// the oldest new and the oldest old stay, and the old one goes once the new one is available (or is not ready).
    /// </summary>
    private IEnumerable<V1Pod> Surplus(V1DaemonSet ds, List<V1Pod> running, string hash, DateTimeOffset now, bool shouldRun, List<string> needing, string nodeName)
    {
        if (!AllowsSurge(ds))
        {
            return OldestFirst(running).Skip(1);
        }

        if (running.Count == 0)
        {
            if (shouldRun)
            {
                needing.Add(nodeName);
            }

            return [];
        }

        var ordered = OldestFirst(running);
        var oldestNew = ordered.FirstOrDefault(p => IsUpdated(p, hash, ds));
        var oldestOld = ordered.FirstOrDefault(p => !IsUpdated(p, hash, ds));
        var surplus = ordered.Where(p => p != oldestNew && p != oldestOld).ToList();
        if (oldestNew is not null && oldestOld is not null &&
            (!Pods.IsReady(oldestOld) || Pods.IsAvailable(oldestNew, ds.Spec.MinReadySeconds ?? 0, now)))
        {
            surplus.Add(oldestOld);
        }

        return surplus;
    }

    private static bool AllowsSurge(V1DaemonSet ds) =>
        ds.Spec.UpdateStrategy?.Type == "RollingUpdate" && ds.Spec.UpdateStrategy.RollingUpdate?.MaxSurge is { } surge && Deployment.DeploymentMath.Scaled(surge, 1, roundUp: true) > 0;

    /// <summary>Deletes, then creates, at most 250 each, creations in slow-start batches.</summary>
    private async Task<string?> SyncNodesAsync(string key, V1DaemonSet ds, List<V1Pod> toDelete, List<string> needing, string hash, CancellationToken cancellationToken)
    {
        var creates = needing.Take(BurstReplicas).ToList();
        var deletes = toDelete.Take(BurstReplicas).ToList();
        if (creates.Count == 0 && deletes.Count == 0)
        {
            return null;
        }

        Expectations.ExpectCreationsAndDeletions(key, creates.Count, deletes.Select(ObjectKeys.Of));
        var template = DeepCopy.Of(ds.Spec.Template);
        DaemonNodes.AddTolerations(template.Spec);
        template.Metadata ??= new V1ObjectMeta();
        template.Metadata.Labels = new Dictionary<string, string>(template.Metadata.Labels ?? new Dictionary<string, string>()) { [RevisionHashLabel] = hash };
        if (Value(ds.Metadata.Annotations, TemplateGenerationAnnotation) is { } generation)
        {
            template.Metadata.Labels[TemplateGenerationLabel] = generation;
        }

        var controllerRef = OwnerReferences.ControllerRef(ds, "apps/v1", "DaemonSet");
        var next = 0;
        var (created, createError) = await SlowStart.CreateAsync(creates.Count, () =>
        {
            var node = creates[Interlocked.Increment(ref next) - 1];
            var pod = PodControl.FromTemplate(template, ds.Metadata.Name, controllerRef);
            pod.Spec.Affinity = DaemonNodes.PinToNode(pod.Spec.Affinity, node);
            return _podControl.CreatePodAsync(ds.Metadata.NamespaceProperty, pod, ds, cancellationToken);
        });
        for (var skipped = creates.Count - created; skipped > 0; skipped--)
        {
            Expectations.CreationObserved(key);
        }

        var deleteErrors = await Task.WhenAll(deletes.Select(async pod =>
        {
            try
            {
                await _podControl.DeleteAsync(pod.Metadata.NamespaceProperty, pod.Metadata.Name, ds, cancellationToken);
                return null;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Expectations.DeletionObserved(key, ObjectKeys.Of(pod));
                return ApiErrors.IsNotFound(e) ? null : ApiErrors.Describe(e);
            }
        }));
        return createError ?? deleteErrors.FirstOrDefault(e => e is not null);
    }

    /// <summary>
    /// RollingUpdate without surge (upstream's rollingUpdate, maxSurge 0): old pods deleted, as many as keep the
    /// unavailable nodes within <c>maxUnavailable</c> (an unavailable old pod always may go); the next pass creates
    /// their replacements from the new template.
    /// </summary>
    private async Task<string?> RollingUpdateAsync(string key, V1DaemonSet ds, IReadOnlyList<V1Node> nodes, List<V1Pod> pods, string hash, CancellationToken cancellationToken)
    {
        var byNode = ByNode(pods);
        var desired = 0;
        foreach (var node in nodes.Where(n => DaemonNodes.ShouldRun(n, ds).ShouldRun))
        {
            desired++;
            if (!byNode.ContainsKey(node.Metadata.Name))
            {
                byNode[node.Metadata.Name] = [];
            }
        }

        var rollingUpdate = ds.Spec.UpdateStrategy?.RollingUpdate;
        var maxUnavailable = rollingUpdate?.MaxUnavailable is { } mu ? Deployment.DeploymentMath.Scaled(mu, desired, roundUp: true) : 0;
        var maxSurge = rollingUpdate?.MaxSurge is { } ms ? Deployment.DeploymentMath.Scaled(ms, desired, roundUp: true) : 0;
        if (desired > 0 && maxUnavailable == 0 && maxSurge == 0)
        {
            maxUnavailable = 1;
        }

        var now = _time.GetUtcNow();
        var minReady = ds.Spec.MinReadySeconds ?? 0;
        if (maxSurge > 0)
        {
            return await SurgeAsync(key, ds, nodes, byNode, hash, desired, maxSurge, now, cancellationToken);
        }

        var unavailable = 0;
        var replace = new List<V1Pod>();
        var candidates = new List<V1Pod>();
        foreach (var (_, here) in byNode.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            V1Pod? newPod = null, oldPod = null;
            var ok = true;
            foreach (var pod in here.Where(p => p.Metadata.DeletionTimestamp is null))
            {
                if (IsUpdated(pod, hash, ds))
                {
                    ok &= newPod is null;
                    newPod = pod;
                }
                else
                {
                    ok &= oldPod is null;
                    oldPod = pod;
                }
            }

            if (!ok || (newPod is null) == (oldPod is null))
            {
                unavailable++;  // the manage pass sorts this node out
            }
            else if (newPod is not null)
            {
                unavailable += Pods.IsAvailable(newPod, minReady, now) ? 0 : 1;
            }
            else if (!Pods.IsAvailable(oldPod!, minReady, now))
            {
                replace.Add(oldPod!);
            }
            else if (unavailable < maxUnavailable)
            {
                candidates.Add(oldPod!);
            }
        }

        var room = Math.Clamp(maxUnavailable - unavailable, 0, candidates.Count);
        return await SyncNodesAsync(key, ds, [.. replace, .. candidates.Take(room)], [], hash, cancellationToken);
    }

    /// <summary>
    /// RollingUpdate with surge (upstream's rollingUpdate, maxSurge &gt; 0): a new pod is made beside an old one —
    /// at once where the old one is unavailable, else on at most <c>maxSurge</c> nodes at a time — and the old one goes
    /// once the new one is available. Pods on nodes that no longer fit go only while enough others are available.
    /// </summary>
    private async Task<string?> SurgeAsync(string key, V1DaemonSet ds, IReadOnlyList<V1Node> nodes, Dictionary<string, List<V1Pod>> byNode, string hash, int desired, int maxSurge, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var minReady = ds.Spec.MinReadySeconds ?? 0;
        var nodesByName = nodes.ToDictionary(n => n.Metadata.Name, StringComparer.Ordinal);
        bool ShouldRun(string node) => nodesByName.TryGetValue(node, out var n) && DaemonNodes.ShouldRun(n, ds).ShouldRun;
        var toDelete = new List<V1Pod>();
        var shouldNotRun = new List<V1Pod>();
        var candidates = new List<string>();
        var allowed = new List<string>();
        int surge = 0, available = 0;
        foreach (var (node, here) in byNode.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            V1Pod? newPod = null, oldPod = null;
            var ok = true;
            foreach (var pod in here.Where(p => p.Metadata.DeletionTimestamp is null))
            {
                if (IsUpdated(pod, hash, ds))
                {
                    ok &= newPod is null;
                    newPod = pod;
                }
                else
                {
                    ok &= oldPod is null;
                    oldPod = pod;
                }
            }

            if (!ok)
            {
                surge++;
                continue;
            }

            available += (oldPod ?? newPod) is { } counted && Pods.IsAvailable(counted, minReady, now) ? 1 : 0;
            if (oldPod is null)
            {
                continue;
            }

            if (newPod is null)
            {
                if (!Pods.IsAvailable(oldPod, minReady, now))
                {
                    if (ShouldRun(node))
                    {
                        allowed.Add(node);
                    }
                    else
                    {
                        toDelete.Add(oldPod);
                    }
                }
                else if (!ShouldRun(node))
                {
                    shouldNotRun.Add(oldPod);
                }
                else if (surge < maxSurge)
                {
                    candidates.Add(node);
                }
            }
            else if (!Pods.IsAvailable(newPod, minReady, now))
            {
                surge++;
            }
            else
            {
                toDelete.Add(oldPod);
            }
        }

        if (available - desired is > 0 and var deletable)
        {
            toDelete.AddRange(shouldNotRun.Take(deletable));
        }

        var room = Math.Clamp(maxSurge - surge, 0, candidates.Count);
        return await SyncNodesAsync(key, ds, toDelete, [.. allowed, .. candidates.Take(room)], hash, cancellationToken);
    }

    /// <summary>A pod's DaemonSet syncs; a create it made is observed.</summary>
    private void PodChanged(V1Pod pod, bool added)
    {
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            PodDeleted(pod);
            return;
        }

        if (OwnerReferences.ControllerOf(pod) is { Kind: "DaemonSet" } owner)
        {
            if (_daemonSets.Get(pod.Metadata.NamespaceProperty, owner.Name) is { } ds && ds.Metadata.Uid == owner.Uid)
            {
                var key = ObjectKeys.Of(ds);
                if (added)
                {
                    Expectations.CreationObserved(key);
                }

                Queue.Add(key);
                if (!added && Pods.IsReady(pod) && ds.Spec.MinReadySeconds is > 0 and var minReady)
                {
                    Queue.AddAfter(key, TimeSpan.FromSeconds(minReady + 1));
                }
            }

            return;
        }

        var labels = Pods.Labels(pod);
        foreach (var ds in _daemonSets.List(pod.Metadata.NamespaceProperty))
        {
            if (labels is { Count: > 0 } && Api.Selectors.LabelSelector.FromModel(ds.Spec.Selector) is { IsEmpty: false } selector && selector.Matches(labels))
            {
                Queue.Add(ObjectKeys.Of(ds));
            }
        }
    }

    private void PodDeleted(V1Pod pod)
    {
        if (OwnerReferences.ControllerOf(pod) is { Kind: "DaemonSet" } owner &&
            _daemonSets.Get(pod.Metadata.NamespaceProperty, owner.Name) is { } ds && ds.Metadata.Uid == owner.Uid)
        {
            var key = ObjectKeys.Of(ds);
            Expectations.DeletionObserved(key, ObjectKeys.Of(pod));
            Queue.Add(key);
        }
    }

    /// <summary>A node came, went or changed: the DaemonSets whose verdict on it changed sync.</summary>
    private void NodeChanged(V1Node? old, V1Node? node)
    {
        foreach (var ds in _daemonSets.List())
        {
            var before = old is null ? (false, false) : DaemonNodes.ShouldRun(old, ds);
            var after = node is null ? (false, false) : DaemonNodes.ShouldRun(node, ds);
            if (before != after || (old is not null && node is null))
            {
                Queue.Add(ObjectKeys.Of(ds));
            }
        }
    }
}
