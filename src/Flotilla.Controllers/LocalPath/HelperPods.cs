using System.Globalization;
using k8s.Models;

namespace Flotilla.Controllers.LocalPath;

/// <summary>
/// The short-lived pods that make and remove a volume's directory on its node (rancher's local-path-provisioner helper
/// pods): busybox, pinned to the node by <c>nodeName</c>, tolerating every taint, with the storage root mounted from
/// the host. The provisioner runs in the control plane, which need not share a filesystem with the node.
/// </summary>
public static class HelperPods
{
    public const string Namespace = "kube-system";
    public const string Image = "busybox:1.35";
    public const string RoleLabel = "flotilla.dev/local-path-helper";

    /// <summary>The provisioner's queue key of the claim or volume a helper pod works for.</summary>
    public const string ForAnnotation = "flotilla.dev/local-path-for";

    /// <summary>Upstream's helper pod timeout: a pod not done by then is deleted and the work retried.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    public static string CreateName(string volumeName) => "helper-pod-create-" + volumeName;

    public static string DeleteName(string volumeName) => "helper-pod-delete-" + volumeName;

    /// <summary>A pod that makes <paramref name="path"/> (mode 0777, so any container user can write) under <paramref name="root"/> on <paramref name="node"/>.</summary>
    public static V1Pod Create(string volumeName, string node, string root, string path, decimal sizeBytes, string forKey) =>
        Build(CreateName(volumeName), "create", node, root, path, sizeBytes, forKey, "mkdir -m 0777 -p \"$VOL_DIR\" && exit 0");

    /// <summary>A pod that removes <paramref name="path"/> and everything in it.</summary>
    public static V1Pod Delete(string volumeName, string node, string root, string path, decimal sizeBytes, string forKey) =>
        Build(DeleteName(volumeName), "delete", node, root, path, sizeBytes, forKey, "rm -rf \"$VOL_DIR\" && exit 0");

    private static V1Pod Build(string name, string role, string node, string root, string path, decimal sizeBytes, string forKey, string script) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = Namespace,
            Labels = new Dictionary<string, string> { [RoleLabel] = role },
            Annotations = new Dictionary<string, string> { [ForAnnotation] = forKey },
        },
        Spec = new V1PodSpec
        {
            NodeName = node,
            RestartPolicy = "Never",
            AutomountServiceAccountToken = false,
            PriorityClassName = "system-node-critical",
            Tolerations = [new V1Toleration { OperatorProperty = "Exists" }],
            Containers =
            [
                new V1Container
                {
                    Name = "helper-pod",
                    Image = Image,
                    ImagePullPolicy = "IfNotPresent",
                    Command = ["sh", "-c", script],
                    Env =
                    [
                        new V1EnvVar { Name = "VOL_DIR", Value = path },
                        new V1EnvVar { Name = "VOL_MODE", Value = "Filesystem" },
                        new V1EnvVar { Name = "VOL_SIZE_BYTES", Value = decimal.Truncate(sizeBytes).ToString(CultureInfo.InvariantCulture) },
                    ],
                    VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = root }],
                },
            ],
            Volumes = [new V1Volume { Name = "data", HostPath = new V1HostPathVolumeSource { Path = root, Type = "DirectoryOrCreate" } }],
        },
    };
}
