using System.Globalization;
using System.Text.RegularExpressions;
using Flotilla.Api.Serialization;
using Flotilla.Controllers.Framework;
using k8s.Models;

namespace Flotilla.Controllers.StatefulSet;

/// <summary>
/// A StatefulSet's pods and their identity (upstream's stateful_set_utils): <c>&lt;set&gt;-&lt;ordinal&gt;</c>, hostname
/// the pod's name and subdomain the set's <c>serviceName</c> (so DNS gives <c>&lt;pod&gt;.&lt;svc&gt;</c>), the
/// <c>statefulset.kubernetes.io/pod-name</c> and <c>apps.kubernetes.io/pod-index</c> labels, the revision it was
/// made from in <c>controller-revision-hash</c>, and a claim <c>&lt;template&gt;-&lt;set&gt;-&lt;ordinal&gt;</c> per
/// volume claim template.
/// </summary>
public static partial class StatefulPods
{
    public const string PodNameLabel = "statefulset.kubernetes.io/pod-name";
    public const string PodIndexLabel = "apps.kubernetes.io/pod-index";
    public const string RevisionLabel = "controller-revision-hash";

    /// <summary>The ordinal in a pod's name, or -1 when it has none (upstream's getParentNameAndOrdinal).</summary>
    public static int Ordinal(V1Pod pod)
    {
        var match = OrdinalPattern().Match(pod.Metadata.Name ?? string.Empty);
        return match.Success && int.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal) ? ordinal : -1;
    }

    /// <summary>Whether the pod's name says it is one of the set's (any ordinal).</summary>
    public static bool IsMember(V1StatefulSet set, V1Pod pod)
    {
        var match = OrdinalPattern().Match(pod.Metadata.Name ?? string.Empty);
        return match.Success && match.Groups[1].Value == set.Metadata.Name;
    }

    public static int StartOrdinal(V1StatefulSet set) => set.Spec.Ordinals?.Start ?? 0;

    public static string Revision(V1Pod pod) => pod.Metadata.Labels is { } labels && labels.TryGetValue(RevisionLabel, out var revision) ? revision : string.Empty;

    public static string ClaimName(V1StatefulSet set, V1PersistentVolumeClaim template, int ordinal) =>
        string.Create(CultureInfo.InvariantCulture, $"{template.Metadata.Name}-{set.Metadata.Name}-{ordinal}");

    /// <summary>Upstream's newStatefulSetPod: the template of <paramref name="template"/>'s revision, named, identified, with its claims.</summary>
    public static V1Pod New(V1StatefulSet set, V1PodTemplateSpec template, string revision, int ordinal)
    {
        var pod = PodControl.FromTemplate(template, set.Metadata.Name, OwnerReferences.ControllerRef(set, "apps/v1", "StatefulSet"));
        pod.Metadata.GenerateName = null;
        pod.Metadata.Name = string.Create(CultureInfo.InvariantCulture, $"{set.Metadata.Name}-{ordinal}");
        pod.Metadata.NamespaceProperty = set.Metadata.NamespaceProperty;
        pod.Metadata.Labels = new Dictionary<string, string>(pod.Metadata.Labels ?? new Dictionary<string, string>())
        {
            [PodNameLabel] = pod.Metadata.Name,
            [PodIndexLabel] = ordinal.ToString(CultureInfo.InvariantCulture),
            [RevisionLabel] = revision,
        };
        pod.Spec.Hostname = pod.Metadata.Name;
        pod.Spec.Subdomain = set.Spec.ServiceName;
        var volumes = (pod.Spec.Volumes ?? []).ToList();
        foreach (var claim in set.Spec.VolumeClaimTemplates ?? [])
        {
            volumes.RemoveAll(v => v.Name == claim.Metadata.Name);
            volumes.Add(new V1Volume { Name = claim.Metadata.Name, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = ClaimName(set, claim, ordinal) } });
        }

        pod.Spec.Volumes = volumes.Count > 0 ? volumes : null;
        return pod;
    }

    /// <summary>Upstream's identityMatches: the pod's name, namespace and identity labels are its ordinal's.</summary>
    public static bool IdentityMatches(V1StatefulSet set, V1Pod pod)
    {
        var ordinal = Ordinal(pod);
        return ordinal >= 0
            && IsMember(set, pod)
            && pod.Metadata.NamespaceProperty == set.Metadata.NamespaceProperty
            && Label(pod, PodNameLabel) == pod.Metadata.Name
            && Label(pod, PodIndexLabel) == ordinal.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Upstream's storageMatches: each volume claim template is a volume of the pod naming its ordinal's claim.</summary>
    public static bool StorageMatches(V1StatefulSet set, V1Pod pod)
    {
        var ordinal = Ordinal(pod);
        return ordinal >= 0 && (set.Spec.VolumeClaimTemplates ?? []).All(t =>
            pod.Spec?.Volumes?.FirstOrDefault(v => v.Name == t.Metadata.Name)?.PersistentVolumeClaim?.ClaimName == ClaimName(set, t, ordinal));
    }

    /// <summary>
    /// Upstream's updateIdentity and updateStorage as a strategic merge patch: the identity labels, and the claim
    /// volumes when they differ (which the API server refuses for a pod already made: its spec is immutable).
    /// </summary>
    public static string FixPatch(V1StatefulSet set, V1Pod pod)
    {
        var ordinal = Ordinal(pod);
        var patch = new System.Text.Json.Nodes.JsonObject
        {
            ["metadata"] = new System.Text.Json.Nodes.JsonObject
            {
                ["labels"] = new System.Text.Json.Nodes.JsonObject
                {
                    [PodNameLabel] = pod.Metadata.Name,
                    [PodIndexLabel] = ordinal.ToString(CultureInfo.InvariantCulture),
                },
            },
        };
        if (!StorageMatches(set, pod))
        {
            var volumes = new System.Text.Json.Nodes.JsonArray();
            foreach (var template in set.Spec.VolumeClaimTemplates ?? [])
            {
                volumes.Add(new System.Text.Json.Nodes.JsonObject
                {
                    ["name"] = template.Metadata.Name,
                    ["persistentVolumeClaim"] = new System.Text.Json.Nodes.JsonObject { ["claimName"] = ClaimName(set, template, ordinal) },
                });
            }

            patch["spec"] = new System.Text.Json.Nodes.JsonObject { ["volumes"] = volumes };
        }

        return patch.ToJsonString();
    }

    private static string? Label(V1Pod pod, string key) => pod.Metadata.Labels is { } labels && labels.TryGetValue(key, out var value) ? value : null;

    /// <summary>The claims a pod of this ordinal uses (upstream's getPersistentVolumeClaims): labelled with the set's selector.</summary>
    public static IEnumerable<V1PersistentVolumeClaim> Claims(V1StatefulSet set, int ordinal)
    {
        foreach (var template in set.Spec.VolumeClaimTemplates ?? [])
        {
            var claim = DeepCopy.Of(template);
            claim.ApiVersion = "v1";
            claim.Kind = "PersistentVolumeClaim";
            claim.Metadata.Name = ClaimName(set, template, ordinal);
            claim.Metadata.NamespaceProperty = set.Metadata.NamespaceProperty;
            var labels = claim.Metadata.Labels is { } own ? new Dictionary<string, string>(own) : [];
            foreach (var (key, value) in set.Spec.Selector?.MatchLabels ?? new Dictionary<string, string>())
            {
                labels[key] = value;
            }

            claim.Metadata.Labels = labels;
            if (set.Spec.PersistentVolumeClaimRetentionPolicy?.WhenDeleted == "Delete")
            {
                claim.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "StatefulSet", Name = set.Metadata.Name, Uid = set.Metadata.Uid, Controller = true, BlockOwnerDeletion = true }];
            }

            claim.Status = null;
            yield return claim;
        }
    }

    // Upstream's statefulPodRegex: "(.*)-([0-9]+)$".
    [GeneratedRegex(@"^(.*)-([0-9]+)$")]
    private static partial Regex OrdinalPattern();
}
