using Flotilla.Api.Resources;
using k8s.Models;

namespace Flotilla.ApiServer.Admission.PodSecurity;

/// <summary>The pod (or pod template) metadata and spec of the kinds that carry one (upstream's DefaultPodSpecExtractor).</summary>
public static class PodSpecExtractor
{
    private static readonly HashSet<(string Group, string Plural)> Resources =
    [
        ("", "pods"), ("", "replicationcontrollers"), ("", "podtemplates"), ("apps", "replicasets"), ("apps", "deployments"),
        ("apps", "statefulsets"), ("apps", "daemonsets"), ("batch", "jobs"), ("batch", "cronjobs"),
    ];

    public static bool HasPodSpec(ResourceInfo resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return Resources.Contains((resource.Group, resource.Plural));
    }

    /// <summary>The pod metadata and spec to evaluate; both null when the object has no template (nothing to check).</summary>
    public static (V1ObjectMeta? Metadata, V1PodSpec? Spec) Extract(object obj) => obj switch
    {
        V1Pod pod => (pod.Metadata, pod.Spec),
        V1PodTemplate t => FromTemplate(t.Template),
        V1ReplicationController rc => FromTemplate(rc.Spec?.Template),
        V1ReplicaSet rs => FromTemplate(rs.Spec?.Template),
        V1Deployment d => FromTemplate(d.Spec?.Template),
        V1DaemonSet ds => FromTemplate(ds.Spec?.Template),
        V1StatefulSet ss => FromTemplate(ss.Spec?.Template),
        V1Job job => FromTemplate(job.Spec?.Template),
        V1CronJob cj => FromTemplate(cj.Spec?.JobTemplate?.Spec?.Template),
        _ => (null, null),
    };

    private static (V1ObjectMeta?, V1PodSpec?) FromTemplate(V1PodTemplateSpec? template) =>
        template is null ? (null, null) : (template.Metadata ?? new V1ObjectMeta(), template.Spec ?? new V1PodSpec());
}
