using System.Collections.Concurrent;
using System.Globalization;
using Grpc.Core;
using V1 = Flotilla.Kubelet.Runtime.Cri.V1;

namespace Flotilla.Kubelet.Runtime.Cri;

/// <summary>Containers: made in a sandbox, started, stopped, listed with their statuses, exec'd into, logged (kuberuntime's container half).</summary>
public sealed partial class CriRuntime
{
    private const string ContainerNameLabel = "io.kubernetes.container.name";
    private const string TerminationPathAnnotation = "io.kubernetes.container.terminationMessagePath";

    // A container's status changes only with its state (an exited one never again): asked again only then, so a
    // relist of a busy node costs containerd one ListContainers, not a ContainerStatus per container.
    private readonly ConcurrentDictionary<string, ContainerStatus> _statuses = new(StringComparer.Ordinal);

    public async Task<string> CreateContainerAsync(string sandboxId, ContainerConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var sandbox = await SandboxOfAsync(sandboxId, cancellationToken);
        var podDir = sandbox.LogDirectory;
        var containerDir = Path.Combine(podDir, config.Name);
        Directory.CreateDirectory(containerDir);

        // The termination message: a file of the kubelet's, mounted where the container writes it.
        var messageFile = TerminationFile(podDir, config.Name, config.Attempt);
        await File.WriteAllBytesAsync(messageFile, [], cancellationToken);
        var request = new V1.CreateContainerRequest
        {
            PodSandboxId = sandboxId,
            SandboxConfig = sandbox,
            Config = new V1.ContainerConfig
            {
                Metadata = new V1.ContainerMetadata { Name = config.Name, Attempt = (uint)config.Attempt },
                Image = new V1.ImageSpec { Image = config.Image },
                Command = { config.Command },
                Args = { config.Args },
                LogPath = Path.Combine(config.Name, config.Attempt.ToString(CultureInfo.InvariantCulture) + ".log"),
                Labels =
                {
                    [PodNameLabel] = sandbox.Metadata.Name,
                    [PodNamespaceLabel] = sandbox.Metadata.Namespace,
                    [PodUidLabel] = sandbox.Metadata.Uid,
                    [ContainerNameLabel] = config.Name,
                },
                Annotations = { [TerminationPathAnnotation] = config.TerminationMessagePath },
                Mounts =
                {
                    config.Mounts.Select(m => new V1.Mount { ContainerPath = m.ContainerPath, HostPath = m.HostPath, Readonly = m.ReadOnly }),
                    new V1.Mount { ContainerPath = config.TerminationMessagePath, HostPath = messageFile },
                },
                Envs = { config.Envs.Select(e => new V1.KeyValue { Key = e.Key, Value = e.Value }) },
                WorkingDir = config.WorkingDir ?? string.Empty,
                Stdin = config.Stdin,
                StdinOnce = config.StdinOnce,
                Tty = config.Tty,
                Linux = new V1.LinuxContainerConfig { Resources = Resources(config.Resources), SecurityContext = Security(config.Security) },
            },
        };
        try
        {
            return (await _runtime.CreateContainerAsync(request, cancellationToken: cancellationToken)).ContainerId;
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
        {
            throw new InvalidOperationException(Describe(e), e);
        }
    }

    public async Task StartContainerAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            await _runtime.StartContainerAsync(new V1.StartContainerRequest { ContainerId = containerId }, cancellationToken: cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
        {
            throw new InvalidOperationException(Describe(e), e);
        }
    }

    public async Task StopContainerAsync(string containerId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _runtime.StopContainerAsync(
                new V1.StopContainerRequest { ContainerId = containerId, Timeout = (long)Math.Ceiling(timeout.TotalSeconds) },
                cancellationToken: cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
        }
    }

    public async Task RemoveContainerAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            await _runtime.RemoveContainerAsync(new V1.RemoveContainerRequest { ContainerId = containerId }, cancellationToken: cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
        }

        _statuses.TryRemove(containerId, out _);
    }

    public async Task<IReadOnlyList<ContainerStatus>> ListContainersAsync(string? sandboxId, CancellationToken cancellationToken)
    {
        var request = new V1.ListContainersRequest();
        if (sandboxId is not null)
        {
            request.Filter = new V1.ContainerFilter { PodSandboxId = sandboxId };
        }

        var containers = await _runtime.ListContainersAsync(request, cancellationToken: cancellationToken);
        var statuses = new List<ContainerStatus>(containers.Containers.Count);
        foreach (var container in containers.Containers)
        {
            if (_statuses.TryGetValue(container.Id, out var known) && known.State == State(container.State))
            {
                statuses.Add(known);
                continue;
            }

            if (await StatusOfAsync(container.Id, container.PodSandboxId, cancellationToken) is { } status)
            {
                statuses.Add(status);
            }
        }

        return statuses;
    }

    public async Task<ExecResult> ExecSyncAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        try
        {
            var response = await _runtime.ExecSyncAsync(
                new V1.ExecSyncRequest { ContainerId = containerId, Cmd = { command }, Timeout = (long)Math.Ceiling(timeout.TotalSeconds) },
                cancellationToken: cancellationToken);
            return new ExecResult(response.ExitCode, response.Stdout.ToStringUtf8(), response.Stderr.ToStringUtf8());
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.DeadlineExceeded)
        {
            throw new TimeoutException($"command timed out after {timeout.TotalSeconds} seconds: {Describe(e)}", e);
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
        {
            throw new InvalidOperationException(Describe(e), e);
        }
    }

    public async Task<Uri> StreamUrlAsync(StreamRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var url = request.Kind switch
            {
                StreamKind.Exec => (await _runtime.ExecAsync(
                    new V1.ExecRequest { ContainerId = request.Id, Cmd = { request.Command }, Tty = request.Tty, Stdin = request.Stdin, Stdout = request.Stdout, Stderr = request.Stderr },
                    cancellationToken: cancellationToken)).Url,
                StreamKind.Attach => (await _runtime.AttachAsync(
                    new V1.AttachRequest { ContainerId = request.Id, Tty = request.Tty, Stdin = request.Stdin, Stdout = request.Stdout, Stderr = request.Stderr },
                    cancellationToken: cancellationToken)).Url,
                _ => (await _runtime.PortForwardAsync(new V1.PortForwardRequest { PodSandboxId = request.Id }, cancellationToken: cancellationToken)).Url,
            };
            return new Uri(url);
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
        {
            throw new InvalidOperationException(Describe(e), e);
        }
    }

    public async Task<Stream> OpenLogAsync(string containerId, CancellationToken cancellationToken)
    {
        string path;
        try
        {
            path = (await _runtime.ContainerStatusAsync(new V1.ContainerStatusRequest { ContainerId = containerId }, cancellationToken: cancellationToken)).Status.LogPath;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            throw new InvalidOperationException($"container {containerId} not found", e);
        }

        // The runtime may not have made the file yet, and may rotate it: share everything.
        return File.Exists(path)
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete)
            : new MemoryStream([], writable: false);
    }

    private async Task<ContainerStatus?> StatusOfAsync(string containerId, string sandboxId, CancellationToken cancellationToken)
    {
        V1.ContainerStatus s;
        try
        {
            s = (await _runtime.ContainerStatusAsync(new V1.ContainerStatusRequest { ContainerId = containerId }, cancellationToken: cancellationToken)).Status;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;  // removed since the list
        }

        var state = State(s.State);
        var message = s.Message;
        if (state == ContainerState.Exited && string.IsNullOrEmpty(message) && s.Labels.TryGetValue(PodNamespaceLabel, out var ns)
            && s.Labels.TryGetValue(PodNameLabel, out var pod) && s.Labels.TryGetValue(PodUidLabel, out var uid))
        {
            message = ReadMessage(TerminationFile(PodDirectory(ns, pod, uid), s.Metadata.Name, (int)s.Metadata.Attempt));
        }

        var status = new ContainerStatus(
            s.Id,
            sandboxId,
            s.Metadata.Name,
            (int)s.Metadata.Attempt,
            s.Image?.Image ?? string.Empty,
            s.ImageRef,
            state,
            FromNanos(s.CreatedAt),
            s.StartedAt > 0 ? FromNanos(s.StartedAt) : null,
            s.FinishedAt > 0 ? FromNanos(s.FinishedAt) : null,
            s.ExitCode,
            string.IsNullOrEmpty(s.Reason) ? null : s.Reason,
            string.IsNullOrEmpty(message) ? null : message);
        if (state != ContainerState.Unknown)
        {
            _statuses[containerId] = status;
        }

        return status;
    }

    private static ContainerState State(V1.ContainerState state) => state switch
    {
        V1.ContainerState.ContainerCreated => ContainerState.Created,
        V1.ContainerState.ContainerRunning => ContainerState.Running,
        V1.ContainerState.ContainerExited => ContainerState.Exited,
        _ => ContainerState.Unknown,
    };

    /// <summary>The sandbox's config as made (the runtime wants it again with each container: its log directory above all).</summary>
    private async Task<V1.PodSandboxConfig> SandboxOfAsync(string sandboxId, CancellationToken cancellationToken)
    {
        V1.PodSandboxStatus status;
        try
        {
            status = (await _runtime.PodSandboxStatusAsync(new V1.PodSandboxStatusRequest { PodSandboxId = sandboxId }, cancellationToken: cancellationToken)).Status;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            throw new InvalidOperationException($"pod sandbox {sandboxId} not found", e);
        }

        var meta = status.Metadata;
        return SandboxConfig(new PodSandboxConfig(meta.Name, meta.Namespace, meta.Uid, meta.Name, (int)meta.Attempt));
    }

    private static V1.LinuxContainerResources? Resources(ContainerResources? resources) => resources is null ? null : new V1.LinuxContainerResources
    {
        CpuShares = resources.CpuShares,
        CpuQuota = resources.CpuQuota,
        CpuPeriod = resources.CpuPeriod,
        MemoryLimitInBytes = resources.MemoryLimitBytes,
        OomScoreAdj = resources.OomScoreAdj,
    };

    private static V1.LinuxContainerSecurityContext Security(ContainerSecurity? security)
    {
        if (security is null)
        {
            return new V1.LinuxContainerSecurityContext { NamespaceOptions = NamespaceOptions(PodNamespaces.Own) };
        }

        var context = new V1.LinuxContainerSecurityContext
        {
            Privileged = security.Privileged,
            Capabilities = new V1.Capability { AddCapabilities = { security.AddCapabilities }, DropCapabilities = { security.DropCapabilities } },
            NamespaceOptions = NamespaceOptions(security.Namespaces),
            ReadonlyRootfs = security.ReadOnlyRootFilesystem,
            SupplementalGroups = { security.SupplementalGroups },
            NoNewPrivs = security.NoNewPrivileges,
            MaskedPaths = { security.MaskedPaths },
            ReadonlyPaths = { security.ReadOnlyPaths },
        };
        if (security.RunAsUser is { } user)
        {
            context.RunAsUser = new V1.Int64Value { Value = user };
        }

        if (security.RunAsGroup is { } group)
        {
            context.RunAsGroup = new V1.Int64Value { Value = group };
        }

        context.Seccomp = security.Seccomp switch
        {
            "RuntimeDefault" => new V1.SecurityProfile { ProfileType = V1.SecurityProfile.Types.ProfileType.RuntimeDefault },
            "Localhost" => new V1.SecurityProfile { ProfileType = V1.SecurityProfile.Types.ProfileType.Localhost, LocalhostRef = security.SeccompLocalhostProfile ?? string.Empty },
            _ => new V1.SecurityProfile { ProfileType = V1.SecurityProfile.Types.ProfileType.Unconfined },
        };
        return context;
    }

    private static string TerminationFile(string podDir, string container, int attempt) =>
        Path.Combine(podDir, container, attempt.ToString(CultureInfo.InvariantCulture) + ".termination-log");

    /// <summary>Upstream reads at most 4 KiB of a termination message.</summary>
    private static string? ReadMessage(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            var buffer = new byte[4096];
            var read = file.Read(buffer);
            return read == 0 ? null : System.Text.Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
