using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Flotilla.Api.Defaults;
using Flotilla.Client;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Kubelet.Pods;

/// <summary>
/// Static pods (upstream's file config source): every file in the manifest directory whose name does not start with a
/// dot holds one pod, read again every 20 s; the kubelet runs it as its own — named <c>&lt;name&gt;-&lt;node&gt;</c>,
/// its UID a hash of the file, its node and path, with upstream's <c>kubernetes.io/config.*</c> annotations and a
/// NoExecute toleration — whatever the API server says, and shows it through a mirror pod.
/// </summary>
public sealed partial class StaticPods(string directory, string nodeName, TimeProvider time, ILogger log)
{
    public const string SourceAnnotation = "kubernetes.io/config.source";
    public const string HashAnnotation = "kubernetes.io/config.hash";
    public const string SeenAnnotation = "kubernetes.io/config.seen";
    public const string MirrorAnnotation = "kubernetes.io/config.mirror";

    /// <summary>upstream's fileCheckFrequency.</summary>
    public static readonly TimeSpan CheckPeriod = TimeSpan.FromSeconds(20);

    private readonly ConcurrentDictionary<string, V1Pod> _pods = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _seen = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, V1Pod> _removed = new(StringComparer.Ordinal);

    /// <summary>The static pod with this namespace/name key, if the directory has one.</summary>
    public V1Pod? Get(string key) => _pods.TryGetValue(key, out var pod) ? pod : null;

    public IReadOnlyCollection<V1Pod> All => [.. _pods.Values];

    /// <summary>A static pod whose manifest went, until its containers have stopped gracefully (<see cref="Stopped"/>).</summary>
    public V1Pod? Removed(string key) => _removed.TryGetValue(key, out var pod) ? pod : null;

    public void Stopped(string key) => _removed.TryRemove(key, out _);

    public static bool IsMirror(V1Pod pod) => pod?.Metadata?.Annotations?.ContainsKey(MirrorAnnotation) == true;

    /// <summary>Reads the directory; returns the keys of pods that came, changed or went.</summary>
    public IReadOnlyList<string> Read()
    {
        var now = new Dictionary<string, V1Pod>(StringComparer.Ordinal);
        if (Directory.Exists(directory))
        {
            foreach (var path in Directory.EnumerateFiles(directory).Where(p => !Path.GetFileName(p).StartsWith('.')).Order(StringComparer.Ordinal))
            {
                try
                {
                    var text = File.ReadAllText(path);
                    var pod = KubernetesYaml.Deserialize<V1Pod>(text) ?? throw new InvalidDataException("empty manifest");
                    if (pod.Kind is not null && pod.Kind != "Pod")
                    {
                        throw new InvalidDataException($"kind {pod.Kind} is not Pod");
                    }

                    Default(pod, text, path);
                    now[ObjectKeys.Of(pod)] = pod;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or YamlDotNet.Core.YamlException or System.Text.Json.JsonException)
                {
                    LogUnreadable(log, path, e.Message);
                }
            }
        }

        var changed = new List<string>();
        foreach (var (key, pod) in now)
        {
            if (!_pods.TryGetValue(key, out var before) || before.Metadata.Uid != pod.Metadata.Uid)
            {
                _pods[key] = pod;
                changed.Add(key);
            }
        }

        foreach (var key in _pods.Keys.Where(k => !now.ContainsKey(k)).ToList())
        {
            if (_pods.TryRemove(key, out var gone))
            {
                _removed[key] = gone;
            }

            changed.Add(key);
        }

        return changed;
    }

    /// <summary>The mirror pod to create for a static pod: its copy with the mirror annotation, owned by the node.</summary>
    public static V1Pod Mirror(V1Pod pod, V1Node node)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(node);
        var annotations = new Dictionary<string, string>(pod.Metadata.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [MirrorAnnotation] = pod.Metadata.Annotations![HashAnnotation],
        };
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = pod.Metadata.Name,
                NamespaceProperty = pod.Metadata.NamespaceProperty,
                Labels = pod.Metadata.Labels,
                Annotations = annotations,
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Node", Name = node.Metadata.Name, Uid = node.Metadata.Uid, Controller = true }],
            },
            Spec = pod.Spec,
        };
    }

    /// <summary>upstream applyDefaults for file sources.</summary>
    private void Default(V1Pod pod, string text, string path)
    {
        pod.Metadata ??= new V1ObjectMeta();
        pod.Spec ??= new V1PodSpec();
        if (string.IsNullOrEmpty(pod.Metadata.Name))
        {
            throw new InvalidDataException("the pod has no name");
        }

        if (string.IsNullOrEmpty(pod.Metadata.Uid))
        {
            var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{text}\nhost:{nodeName}\nfile:{path}"));
            pod.Metadata.Uid = Convert.ToHexStringLower(digest.AsSpan(0, 16));
        }

        pod.Metadata.Name = $"{pod.Metadata.Name}-{nodeName.ToLowerInvariant()}";
        pod.Metadata.NamespaceProperty = string.IsNullOrEmpty(pod.Metadata.NamespaceProperty) ? "default" : pod.Metadata.NamespaceProperty;
        pod.Spec.NodeName = nodeName;
        pod.Metadata.Annotations ??= new Dictionary<string, string>();
        pod.Metadata.Annotations[HashAnnotation] = pod.Metadata.Uid;
        pod.Metadata.Annotations[SourceAnnotation] = "file";
        pod.Metadata.Annotations[SeenAnnotation] = _seen.GetOrAdd(pod.Metadata.Uid, _ => time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
        pod.Spec.Tolerations ??= [];
        if (!pod.Spec.Tolerations.Any(t => t.OperatorProperty == "Exists" && t.Effect == "NoExecute" && string.IsNullOrEmpty(t.Key)))
        {
            pod.Spec.Tolerations.Add(new V1Toleration { OperatorProperty = "Exists", Effect = "NoExecute" });
        }

        PodDefaults.Apply(pod);  // the API server's defaults, as upstream decodes manifests through its scheme
        pod.Status = new V1PodStatus { Phase = "Pending" };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "static pod manifest {Path}: not read: {Error}")]
    private static partial void LogUnreadable(ILogger log, string path, string error);
}
