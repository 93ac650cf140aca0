using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Flotilla.Kubelet.Runtime.Hollow;

/// <summary>
/// The simulated runtime (kubemark's hollow node, KWOK): no processes and no images on disk, only plausible answers,
/// so one machine can host thousands of nodes for scale tests. What a container or an exec does is read from its
/// command (<see cref="HollowScript"/>). Sandboxes get IPs from the node's pod subnet. Nodes running it are labelled
/// <c>flotilla.dev/runtime: hollow</c> and say so in their runtime version.
/// </summary>
/// <param name="pullDelay">How long a simulated image pull takes.</param>
public sealed partial class HollowRuntime(TimeProvider time, double speed = 1, TimeSpan pullDelay = default) : IContainerRuntime
{
    public const string Name = "hollow";
    public const string Version = "0.1.0";

    /// <summary>The exit code of a container killed by the kubelet (SIGKILL).</summary>
    public const int KilledExitCode = 137;

    /// <summary>The exit code of a container that ended on the kubelet's SIGTERM.</summary>
    public const int TerminatedExitCode = 143;

    private static readonly RuntimeVersion RuntimeVersion = new(Name, Version);
    private static readonly RuntimeStatus Ready = new(true, true);
    private static readonly RuntimeStatus NoPodCidr = new(true, false, "NetworkPluginNotReady", "the node has no pod CIDR yet");

    private readonly ConcurrentDictionary<string, Sandbox> _sandboxes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Container> _containers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _images = new(StringComparer.Ordinal);
    private readonly Lock _ips = new();
    private readonly HashSet<uint> _usedIps = [];
    private uint _network;
    private int _prefix;
    private long _ids;

    /// <summary>Time runs this many times faster for <c>sleep N</c> (tests).</summary>
    public double Speed { get; } = speed;

    public Task<RuntimeVersion> VersionAsync(CancellationToken cancellationToken) => Task.FromResult(RuntimeVersion);

    /// <summary>Ready once the node's pod subnet is known (as a CNI network is): sandboxes need IPs from it.</summary>
    public Task<RuntimeStatus> StatusAsync(CancellationToken cancellationToken)
    {
        lock (_ips)
        {
            return Task.FromResult(_prefix > 0 ? Ready : NoPodCidr);
        }
    }

    public Task UpdatePodCidrAsync(string podCidr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(podCidr);
        var parts = podCidr.Split('/');
        var bytes = IPAddress.Parse(parts[0]).GetAddressBytes();
        lock (_ips)
        {
            _network = ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
            _prefix = int.Parse(parts[1], CultureInfo.InvariantCulture);
        }

        return Task.CompletedTask;
    }

    public Task<string> RunPodSandboxAsync(PodSandboxConfig config, CancellationToken cancellationToken)
    {
        var id = NewId();
        _sandboxes[id] = new Sandbox(id, config, AllocateIp(), time.GetUtcNow());
        return Task.FromResult(id);
    }

    /// <summary>Kills whatever still runs in it (CRI: forcibly).</summary>
    public Task StopPodSandboxAsync(string sandboxId, CancellationToken cancellationToken)
    {
        foreach (var container in _containers.Values.Where(c => c.SandboxId == sandboxId))
        {
            Exit(container, KilledExitCode);
        }

        if (_sandboxes.TryGetValue(sandboxId, out var sandbox))
        {
            sandbox.Ready = false;
        }

        return Task.CompletedTask;
    }

    public async Task RemovePodSandboxAsync(string sandboxId, CancellationToken cancellationToken)
    {
        await StopPodSandboxAsync(sandboxId, cancellationToken);
        foreach (var container in _containers.Values.Where(c => c.SandboxId == sandboxId).ToList())
        {
            await RemoveContainerAsync(container.Id, cancellationToken);
        }

        if (_sandboxes.TryRemove(sandboxId, out var sandbox) && sandbox.Ip is { } ip)
        {
            lock (_ips)
            {
                _usedIps.Remove(ToUint(ip));
            }
        }
    }

    public Task<IReadOnlyList<PodSandboxStatus>> ListPodSandboxesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PodSandboxStatus>>([.. _sandboxes.Values.Select(s => new PodSandboxStatus(s.Id, s.Config, s.Ready, s.Ip, s.CreatedAt))]);

    public Task<string> CreateContainerAsync(string sandboxId, ContainerConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!_sandboxes.ContainsKey(sandboxId))
        {
            throw new InvalidOperationException($"sandbox {sandboxId} not found");
        }

        var id = NewId();
        _containers[id] = new Container(id, sandboxId, config, time.GetUtcNow());
        return Task.FromResult(id);
    }

    public Task StartContainerAsync(string containerId, CancellationToken cancellationToken)
    {
        var container = Find(containerId);
        lock (container)
        {
            if (container.State != ContainerState.Created)
            {
                throw new InvalidOperationException($"container {containerId} is {container.State}, not created");
            }

            container.State = ContainerState.Running;
            container.StartedAt = time.GetUtcNow();
            if (HollowScript.Parse(container.Config.Command, container.Config.Args).Fate(Speed) is { } fate)
            {
                container.Timer = time.CreateTimer(_ => Exit(container, fate.ExitCode), null, fate.After, Timeout.InfiniteTimeSpan);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// SIGTERM ends a simulated container at once (143), unless its script traps it away (<c>trap '' TERM</c>): then
    /// it runs out the timeout and is killed (137), as a real process that ignores SIGTERM is.
    /// </summary>
    public async Task StopContainerAsync(string containerId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!_containers.TryGetValue(containerId, out var container) || container.State != ContainerState.Running)
        {
            if (container is not null)
            {
                Exit(container, KilledExitCode);
            }

            return;
        }

        var script = HollowScript.Parse(container.Config.Command, container.Config.Args);
        if (!script.IgnoresTerm)
        {
            Exit(container, TerminatedExitCode);
            return;
        }

        if (timeout > TimeSpan.Zero)
        {
            using var waited = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var grace = Task.Delay(timeout, time, waited.Token);
            await Task.WhenAny(grace, container.Ended.Task);
            await waited.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }

        Exit(container, KilledExitCode);
    }

    public async Task<ExecResult> ExecSyncAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var container = Find(containerId);
        if (container.State != ContainerState.Running)
        {
            throw new InvalidOperationException($"container {containerId} is not running");
        }

        var script = HollowScript.Parse(command, []);
        var runs = script.Sleep is { } sleep ? TimeSpan.FromSeconds(sleep / Speed) : TimeSpan.Zero;
        if (timeout > TimeSpan.Zero && runs > timeout)
        {
            await Task.Delay(timeout, time, cancellationToken);
            throw new TimeoutException($"command '{string.Join(' ', command)}' timed out after {timeout.TotalSeconds:0.###}s");
        }

        if (runs > TimeSpan.Zero)
        {
            await Task.Delay(runs, time, cancellationToken);
        }

        return new ExecResult(script.ExitCode ?? 0, script.Output, string.Empty);
    }

    /// <summary>What the script prints, on stdout, as it starts (simulated containers print nothing later).</summary>
    /// <summary>A hollow container is no process: there is nothing to exec in, attach to or forward to.</summary>
    public Task<Uri> StreamUrlAsync(StreamRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{Kind(request)} is not possible on a hollow node: its containers are simulated, not run");

    private static string Kind(StreamRequest request) => request.Kind switch
    {
        StreamKind.Exec => "exec",
        StreamKind.Attach => "attach",
        _ => "port-forward",
    };

    public Task<Stream> OpenLogAsync(string containerId, CancellationToken cancellationToken)
    {
        var container = Find(containerId);
        DateTimeOffset? started;
        lock (container)
        {
            started = container.StartedAt;
        }

        var text = started is { } at
            ? string.Concat(HollowScript.Parse(container.Config.Command, container.Config.Args).Prints.Select(p => Logs.CriLogLine.Format(at, "stdout", p)))
            : string.Empty;
        return Task.FromResult<Stream>(new MemoryStream(Encoding.UTF8.GetBytes(text), writable: false));
    }

    public Task RemoveContainerAsync(string containerId, CancellationToken cancellationToken)
    {
        if (_containers.TryRemove(containerId, out var container))
        {
            container.Timer?.Dispose();
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ContainerStatus>> ListContainersAsync(string? sandboxId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ContainerStatus>>([.. _containers.Values.Where(c => sandboxId is null || c.SandboxId == sandboxId).Select(Status)]);

    private void Exit(Container container, int code)
    {
        lock (container)
        {
            if (container.State is ContainerState.Exited)
            {
                return;
            }

            container.Timer?.Dispose();
            container.State = ContainerState.Exited;
            container.FinishedAt = time.GetUtcNow();
            container.StartedAt ??= container.FinishedAt;
            container.ExitCode = code;
            container.Message = HollowScript.Parse(container.Config.Command, container.Config.Args).MessageAt(container.Config.TerminationMessagePath);
        }

        container.Ended.TrySetResult();
    }

    private ContainerStatus Status(Container c)
    {
        lock (c)
        {
            return new ContainerStatus(
                c.Id,
                c.SandboxId,
                c.Config.Name,
                c.Config.Attempt,
                c.Config.Image,
                ImageRef(c.Config.Image),
                c.State,
                c.CreatedAt,
                c.StartedAt,
                c.FinishedAt,
                c.ExitCode,
                c.State == ContainerState.Exited ? (c.ExitCode == 0 ? "Completed" : "Error") : null,
                c.State == ContainerState.Exited ? c.Message : null);
        }
    }

    private Container Find(string id) => _containers.TryGetValue(id, out var c) ? c : throw new InvalidOperationException($"container {id} not found");

    private string? AllocateIp()
    {
        lock (_ips)
        {
            if (_prefix == 0)
            {
                return null;
            }

            var size = 1u << (32 - _prefix);
            for (var offset = 2u; offset < size - 1; offset++)
            {
                if (_usedIps.Add(_network + offset))
                {
                    var ip = _network + offset;
                    return $"{ip >> 24}.{(ip >> 16) & 0xff}.{(ip >> 8) & 0xff}.{ip & 0xff}";
                }
            }

            return null;
        }
    }

    private static uint ToUint(string ip)
    {
        var b = IPAddress.Parse(ip).GetAddressBytes();
        return ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
    }

    private string NewId() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Interlocked.Increment(ref _ids)}/{Guid.NewGuid()}")))[..32];

    private sealed class Sandbox(string id, PodSandboxConfig config, string? ip, DateTimeOffset createdAt)
    {
        public string Id { get; } = id;

        public PodSandboxConfig Config { get; } = config;

        public string? Ip { get; } = ip;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public bool Ready { get; set; } = true;
    }

    private sealed class Container(string id, string sandboxId, ContainerConfig config, DateTimeOffset createdAt)
    {
        public string Id { get; } = id;

        public string SandboxId { get; } = sandboxId;

        public ContainerConfig Config { get; } = config;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public ContainerState State { get; set; } = ContainerState.Created;

        public DateTimeOffset? StartedAt { get; set; }

        public DateTimeOffset? FinishedAt { get; set; }

        public int ExitCode { get; set; }

        public string? Message { get; set; }

        public ITimer? Timer { get; set; }

        /// <summary>Wakes a stop waiting out the grace period of a container that ended meanwhile.</summary>
        public TaskCompletionSource Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
