using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Admission.PodSecurity;

/// <summary>Pods for the PodSecurity tests, written as JSON the way manifests are.</summary>
public static class Pods
{
    /// <summary>Upstream's minimal restricted pod (test/fixtures.go): passes every level.</summary>
    public const string Restricted = """
        {"metadata":{"name":"base"},"spec":{
          "securityContext":{"runAsNonRoot":true,"seccompProfile":{"type":"RuntimeDefault"}},
          "initContainers":[{"name":"initcontainer1","image":"registry.k8s.io/pause","securityContext":{"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}}}],
          "containers":[{"name":"container1","image":"registry.k8s.io/pause","securityContext":{"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}}}]}}
        """;

    /// <summary>Upstream's minimal baseline pod: passes baseline, fails restricted.</summary>
    public const string Baseline = """
        {"metadata":{"name":"base"},"spec":{
          "initContainers":[{"name":"initcontainer1","image":"registry.k8s.io/pause"}],
          "containers":[{"name":"container1","image":"registry.k8s.io/pause"}]}}
        """;

    public static V1Pod Parse(string json) => KubernetesJson.Deserialize<V1Pod>(json);

    public static V1PodSpec Spec(string json) => KubernetesJson.Deserialize<V1PodSpec>(json);

    /// <summary>A fresh copy of <paramref name="basePod"/> changed by <paramref name="change"/>.</summary>
    public static V1Pod With(string basePod, Action<V1Pod> change)
    {
        var pod = Parse(basePod);
        change(pod);
        return pod;
    }

    /// <summary><paramref name="basePod"/> with <paramref name="patch"/> merged in (JSON merge patch semantics, lists replaced).</summary>
    public static V1Pod Patched(string basePod, string patch)
    {
        var target = System.Text.Json.Nodes.JsonNode.Parse(basePod)!;
        Merge(target, System.Text.Json.Nodes.JsonNode.Parse(patch)!);
        return Parse(target.ToJsonString());
    }

    private static void Merge(System.Text.Json.Nodes.JsonNode target, System.Text.Json.Nodes.JsonNode patch)
    {
        foreach (var (key, value) in patch.AsObject().ToList())
        {
            if (value is System.Text.Json.Nodes.JsonObject child && target[key] is System.Text.Json.Nodes.JsonObject existing)
            {
                Merge(existing, child);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }
}
