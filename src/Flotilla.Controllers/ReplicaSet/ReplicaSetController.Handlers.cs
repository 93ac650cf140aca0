using Flotilla.Api.Selectors;
using Flotilla.Client;
using Flotilla.Controllers.Framework;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Controllers.ReplicaSet;

/// <summary>What the informers' events mean to the controller: which ReplicaSet to sync, and which expectations they meet.</summary>
public sealed partial class ReplicaSetController
{
    internal void Enqueue(V1ReplicaSet rs) => Queue.Add(ObjectKeys.Of(rs));

    internal void ReplicaSetDeleted(V1ReplicaSet rs)
    {
        var key = ObjectKeys.Of(rs);
        Expectations.Delete(key);
        Queue.Add(key);
    }

    internal void PodAdded(V1Pod pod)
    {
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            // Restarted with a pod already being deleted: count it as a deletion, not a creation.
            PodDeleted(pod);
            return;
        }

        if (OwnerReferences.ControllerOf(pod) is { } controllerRef)
        {
            if (Resolve(pod.Metadata.NamespaceProperty, controllerRef) is { } rs)
            {
                var key = ObjectKeys.Of(rs);
                Expectations.CreationObserved(key);
                Queue.Add(key);
            }

            return;
        }

        // An orphan: the ReplicaSets that select it may adopt it.
        foreach (var rs in Selecting(pod))
        {
            Queue.Add(ObjectKeys.Of(rs));
        }
    }

    internal void PodUpdated(V1Pod old, V1Pod pod)
    {
        if (old.Metadata.ResourceVersion == pod.Metadata.ResourceVersion)
        {
            return;  // a resync
        }

        var labelsChanged = !LabelSets.Equal(old.Metadata.Labels, pod.Metadata.Labels);
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            // A graceful delete shows first as an update: the ReplicaSet can replace the pod now.
            PodDeleted(pod);
            if (labelsChanged)
            {
                PodDeleted(old);
            }

            return;
        }

        var oldRef = OwnerReferences.ControllerOf(old);
        var newRef = OwnerReferences.ControllerOf(pod);
        if (oldRef is not null && oldRef.Uid != newRef?.Uid && Resolve(old.Metadata.NamespaceProperty, oldRef) is { } previous)
        {
            Queue.Add(ObjectKeys.Of(previous));
        }

        if (newRef is not null)
        {
            if (Resolve(pod.Metadata.NamespaceProperty, newRef) is { } rs)
            {
                var key = ObjectKeys.Of(rs);
                Queue.Add(key);
                if (!Pods.IsReady(old) && Pods.IsReady(pod) && rs.Spec.MinReadySeconds is > 0 and var minReady)
                {
                    // Available minReadySeconds from now; a second later so the check does not land just before.
                    Queue.AddAfter(key, TimeSpan.FromSeconds(minReady + 1));
                }
            }

            return;
        }

        if (labelsChanged || oldRef is not null)
        {
            foreach (var rs in Selecting(pod))
            {
                Queue.Add(ObjectKeys.Of(rs));
            }
        }
    }

    internal void PodDeleted(V1Pod pod)
    {
        if (OwnerReferences.ControllerOf(pod) is not { } controllerRef || Resolve(pod.Metadata.NamespaceProperty, controllerRef) is not { } rs)
        {
            return;
        }

        var key = ObjectKeys.Of(rs);
        LogPodDeleted(_log, ObjectKeys.Of(pod), _kind.Kind, key);
        Expectations.DeletionObserved(key, ObjectKeys.Of(pod));
        Queue.Add(key);
    }

    /// <summary>The ReplicaSet a controller reference names, if the cache has that one (same UID).</summary>
    private V1ReplicaSet? Resolve(string ns, V1OwnerReference controllerRef) =>
        controllerRef.Kind == _kind.Kind && _replicaSets.Get(ns, controllerRef.Name) is { } rs && rs.Metadata.Uid == controllerRef.Uid ? rs : null;

    private IEnumerable<V1ReplicaSet> Selecting(V1Pod pod)
    {
        var labels = Pods.Labels(pod);
        if (labels is null || labels.Count == 0)
        {
            return [];
        }

        return _replicaSets.List(pod.Metadata.NamespaceProperty).Where(rs => LabelSelector.FromModel(rs.Spec.Selector) is { IsEmpty: false } s && s.Matches(labels));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} {Key}: too few replicas (need {Want}, have {Have}), creating {Count}")]
    private static partial void LogTooFew(ILogger log, string kind, string key, int want, int have, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} {Key}: too many replicas (need {Want}, have {Have}), deleting {Count}")]
    private static partial void LogTooMany(ILogger log, string kind, string key, int want, int have, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "pod {Pod} deleted; syncing {Kind} {Key}")]
    private static partial void LogPodDeleted(ILogger log, string pod, string kind, string key);
}
