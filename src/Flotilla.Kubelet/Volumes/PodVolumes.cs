using System.Globalization;
using System.Text;
using Flotilla.Client;
using Flotilla.Kubelet.Pods;
using k8s;
using k8s.Models;

namespace Flotilla.Kubelet.Volumes;

/// <summary>
/// A real node's volumes (upstream's volume manager with its in-tree plugins), under
/// <c>&lt;root&gt;/pods/&lt;uid&gt;/volumes/&lt;plugin&gt;/&lt;name&gt;</c>: emptyDir (a 0777 dir, or tmpfs for
/// <c>medium: Memory</c>), hostPath (type-checked), persistentVolumeClaim and ephemeral claims (the bound volume's
/// hostPath or local path), and configMap, secret, downwardAPI and projected (files by <see cref="AtomicWriter"/>,
/// written again when their sources change; the last three on tmpfs, as upstream keeps them off disk). Objects are
/// read through the node's client.
/// </summary>
public sealed class PodVolumes(string rootDir, IKubernetes client, ServiceAccountTokens tokens)
{
    private static readonly int DefaultMode = Convert.ToInt32("644", 8);

    public string PodDir(string uid) => Path.Combine(rootDir, "pods", uid);

    /// <summary>Sets up every volume of the pod; returns each one's host path by name.</summary>
    /// <exception cref="VolumeMountException">A volume cannot be set up (the FailedMount message).</exception>
    public async Task<IReadOnlyDictionary<string, string>> SetUpAsync(V1Pod pod, V1Node? node, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);

        // The pod's own dir (upstream's makePodDataDirs): its volumes, and the kubelet's files for it (/etc/hosts).
        Directory.CreateDirectory(PodDir(pod.Metadata.Uid));
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var volume in pod.Spec.Volumes ?? [])
        {
            try
            {
                paths[volume.Name] = await SetUpAsync(pod, volume, node, cancellationToken);
            }
            catch (Exception e) when (e is InvalidOperationException or TokenException or IOException or UnauthorizedAccessException)
            {
                throw new VolumeMountException(volume.Name, e.Message);
            }
        }

        return paths;
    }

    /// <summary>Unmounts and removes what the pod's volumes left on the node (hostPath and claimed volumes are not the pod's: they stay).</summary>
    public void TearDown(string uid)
    {
        var dir = PodDir(uid);
        if (!Directory.Exists(dir))
        {
            return;
        }

        foreach (var mount in Mounts.Under(dir))
        {
            Node.HostCommand.Run("umount", "-l", mount);
        }

        Directory.Delete(dir, recursive: true);
    }

    private async Task<string> SetUpAsync(V1Pod pod, V1Volume volume, V1Node? node, CancellationToken cancellationToken)
    {
        var uid = pod.Metadata.Uid;
        var ns = pod.Metadata.NamespaceProperty;
        switch (volume)
        {
            case { EmptyDir: { } emptyDir }:
            {
                var dir = Dir(uid, "kubernetes.io~empty-dir", volume.Name);
                Directory.CreateDirectory(dir);
                File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32("777", 8));
                if (emptyDir.Medium == "Memory")
                {
                    EnsureTmpfs(dir, emptyDir.SizeLimit?.ToDecimal() ?? MemoryLimit(pod, node));
                }
                else if (!string.IsNullOrEmpty(emptyDir.Medium))
                {
                    throw new InvalidOperationException($"unknown storage medium \"{emptyDir.Medium}\"");
                }

                return dir;
            }

            case { HostPath: { } hostPath }:
                HostPaths.Check(hostPath.Path, hostPath.Type);
                return hostPath.Path;
            case { PersistentVolumeClaim: { } claim }:
                return await ClaimedPathAsync(ns, claim.ClaimName, cancellationToken);
            case { Ephemeral: not null }:
                return await ClaimedPathAsync(ns, $"{pod.Metadata.Name}-{volume.Name}", cancellationToken);
            case { ConfigMap: { } configMap }:
                return Write(uid, "kubernetes.io~configmap", volume.Name, tmpfs: null, await ConfigMapFilesAsync(ns, configMap.Name, configMap.Items, configMap.Optional == true, configMap.DefaultMode ?? DefaultMode, cancellationToken));
            case { Secret: { } secret }:
                return Write(uid, "kubernetes.io~secret", volume.Name, MemoryLimit(pod, node), await SecretFilesAsync(ns, secret.SecretName, secret.Items, secret.Optional == true, secret.DefaultMode ?? DefaultMode, cancellationToken));
            case { DownwardAPI: { } downward }:
                return Write(uid, "kubernetes.io~downward-api", volume.Name, MemoryLimit(pod, node), DownwardFiles(pod, downward.Items, downward.DefaultMode ?? DefaultMode, node));
            case { Projected: { } projected }:
            {
                var files = new Dictionary<string, VolumeFile>(StringComparer.Ordinal);
                var mode = projected.DefaultMode ?? DefaultMode;
                foreach (var source in projected.Sources ?? [])
                {
                    var part = source switch
                    {
                        { ConfigMap: { } cm } => await ConfigMapFilesAsync(ns, cm.Name, cm.Items, cm.Optional == true, mode, cancellationToken),
                        { Secret: { } s } => await SecretFilesAsync(ns, s.Name, s.Items, s.Optional == true, mode, cancellationToken),
                        { DownwardAPI: { } d } => DownwardFiles(pod, d.Items, mode, node),
                        { ServiceAccountToken: { } t } => new Dictionary<string, VolumeFile>
                        {
                            [t.Path] = new(Encoding.UTF8.GetBytes(await tokens.GetAsync(ns, pod.Spec.ServiceAccountName ?? "default", ProjectedTokens.Request(pod, t), cancellationToken)), mode),
                        },
                        _ => [],
                    };
                    foreach (var (path, file) in part)
                    {
                        files[path] = file;
                    }
                }

                return Write(uid, "kubernetes.io~projected", volume.Name, MemoryLimit(pod, node), files);
            }

            default:
                throw new InvalidOperationException("this volume type is not supported by Flotilla's kubelet");
        }
    }

    private string Dir(string uid, string plugin, string name) => Path.Combine(PodDir(uid), "volumes", plugin, name);

    private string Write(string uid, string plugin, string name, decimal? tmpfs, IReadOnlyDictionary<string, VolumeFile> files)
    {
        var dir = Dir(uid, plugin, name);
        Directory.CreateDirectory(dir);
        if (tmpfs is { } size)
        {
            EnsureTmpfs(dir, size);
        }

        AtomicWriter.Write(dir, files);
        return dir;
    }

    private async Task<string> ClaimedPathAsync(string ns, string claimName, CancellationToken cancellationToken)
    {
        V1PersistentVolumeClaim claim;
        try
        {
            claim = await client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(claimName, ns, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            throw new InvalidOperationException($"error processing PVC {ns}/{claimName}: persistentvolumeclaim \"{claimName}\" not found");
        }

        if (string.IsNullOrEmpty(claim.Spec?.VolumeName) || claim.Status?.Phase != "Bound")
        {
            throw new InvalidOperationException($"error processing PVC {ns}/{claimName}: PVC is not bound");
        }

        var volume = await client.CoreV1.ReadPersistentVolumeAsync(claim.Spec.VolumeName, cancellationToken: cancellationToken);
        if (volume.Spec?.HostPath is { } hostPath)
        {
            HostPaths.Check(hostPath.Path, hostPath.Type);
            return hostPath.Path;
        }

        return volume.Spec?.Local?.Path ?? throw new InvalidOperationException($"persistentvolume \"{volume.Metadata.Name}\" is of a type this node cannot mount");
    }

    private async Task<Dictionary<string, VolumeFile>> ConfigMapFilesAsync(string ns, string name, IList<V1KeyToPath>? items, bool optional, int mode, CancellationToken cancellationToken)
    {
        V1ConfigMap? cm = null;
        try
        {
            cm = await client.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            if (!optional)
            {
                throw new InvalidOperationException($"configmap \"{name}\" not found");
            }
        }

        var all = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, value) in cm?.Data ?? new Dictionary<string, string>())
        {
            all[key] = Encoding.UTF8.GetBytes(value);
        }

        foreach (var (key, value) in cm?.BinaryData ?? new Dictionary<string, byte[]>())
        {
            all[key] = value;
        }

        return Select(all, items, optional || cm is null, mode, key => $"configmap references non-existent config key: {key}");
    }

    private async Task<Dictionary<string, VolumeFile>> SecretFilesAsync(string ns, string name, IList<V1KeyToPath>? items, bool optional, int mode, CancellationToken cancellationToken)
    {
        V1Secret? secret = null;
        try
        {
            secret = await client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            if (!optional)
            {
                throw new InvalidOperationException($"secret \"{name}\" not found");
            }
        }

        var all = new Dictionary<string, byte[]>(secret?.Data ?? new Dictionary<string, byte[]>(), StringComparer.Ordinal);
        return Select(all, items, optional || secret is null, mode, key => $"references non-existent secret key: {key}");
    }

    /// <summary>Upstream's MakePayload: every key under its name, or the items asked for under their paths and modes.</summary>
    private static Dictionary<string, VolumeFile> Select(Dictionary<string, byte[]> all, IList<V1KeyToPath>? items, bool optional, int mode, Func<string, string> missing)
    {
        var files = new Dictionary<string, VolumeFile>(StringComparer.Ordinal);
        if (items is not { Count: > 0 })
        {
            foreach (var (key, value) in all)
            {
                files[key] = new VolumeFile(value, mode);
            }

            return files;
        }

        foreach (var item in items)
        {
            if (!all.TryGetValue(item.Key, out var value))
            {
                if (optional)
                {
                    continue;
                }

                throw new InvalidOperationException(missing(item.Key));
            }

            files[item.Path] = new VolumeFile(value, item.Mode ?? mode);
        }

        return files;
    }

    private static Dictionary<string, VolumeFile> DownwardFiles(V1Pod pod, IList<V1DownwardAPIVolumeFile>? items, int mode, V1Node? node)
    {
        var files = new Dictionary<string, VolumeFile>(StringComparer.Ordinal);
        foreach (var item in items ?? [])
        {
            var value = item switch
            {
                { FieldRef: { } field } => DownwardFields.Field(pod, field.FieldPath, [], []),
                { ResourceFieldRef: { } resource } => DownwardFields.Resource(pod, resource, resource.ContainerName ?? string.Empty, node),
                _ => string.Empty,
            };
            files[item.Path] = new VolumeFile(Encoding.UTF8.GetBytes(value), item.Mode ?? mode);
        }

        return files;
    }

    /// <summary>The pod's memory limit, else the node's allocatable memory: how big a tmpfs of the pod may get.</summary>
    private static decimal MemoryLimit(V1Pod pod, V1Node? node)
    {
        var containers = pod.Spec.Containers ?? [];
        if (containers.Count > 0 && containers.All(c => c.Resources?.Limits?.ContainsKey("memory") == true))
        {
            return containers.Sum(c => c.Resources.Limits["memory"].ToDecimal());
        }

        return node?.Status?.Allocatable is { } allocatable && allocatable.TryGetValue("memory", out var memory) ? memory.ToDecimal() : 0;
    }

    private static void EnsureTmpfs(string dir, decimal size)
    {
        if (Mounts.Under(dir).Contains(Path.GetFullPath(dir).TrimEnd('/')))
        {
            return;
        }

        var options = size > 0 ? "size=" + decimal.Truncate(size).ToString(CultureInfo.InvariantCulture) : "defaults";
        var (code, output) = Node.HostCommand.Run("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir);
        if (code != 0)
        {
            throw new InvalidOperationException($"mounting tmpfs at {dir}: {output.Trim()}");
        }
    }
}
