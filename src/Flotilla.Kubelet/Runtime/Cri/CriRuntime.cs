using Flotilla.Kubelet.Network;
using Grpc.Core;
using Grpc.Net.Client;
using V1 = Flotilla.Kubelet.Runtime.Cri.V1;

namespace Flotilla.Kubelet.Runtime.Cri;

/// <summary>
/// The real runtime: the kubelet's calls as CRI v1 gRPC to containerd (+ runc), as upstream's kubelet makes them
/// (kuberuntime). Pods get a pause sandbox with their network from the node's CNI bridge; containers log to CRI
/// files under <see cref="CriRuntimeOptions.PodsDir"/>. Facts of containerd 1.6 are in notes/containerd.md.
/// </summary>
public sealed partial class CriRuntime : IContainerRuntime, IDisposable
{
    private readonly CriRuntimeOptions _options;
    private readonly GrpcChannel _channel;
    private readonly V1.RuntimeService.RuntimeServiceClient _runtime;
    private readonly V1.ImageService.ImageServiceClient _images;

    public CriRuntime(CriRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _channel = CriChannel.ForSocket(options.Socket);
        _runtime = new V1.RuntimeService.RuntimeServiceClient(_channel);
        _images = new V1.ImageService.ImageServiceClient(_channel);
    }

    public void Dispose() => _channel.Dispose();

    public async Task<RuntimeVersion> VersionAsync(CancellationToken cancellationToken)
    {
        var version = await _runtime.VersionAsync(new V1.VersionRequest { Version = "v1" }, cancellationToken: cancellationToken);
        return new RuntimeVersion(version.RuntimeName, version.RuntimeVersion);
    }

    public async Task<RuntimeStatus> StatusAsync(CancellationToken cancellationToken)
    {
        var status = (await _runtime.StatusAsync(new V1.StatusRequest(), cancellationToken: cancellationToken)).Status;
        var runtime = status?.Conditions.FirstOrDefault(c => c.Type == "RuntimeReady");
        var network = status?.Conditions.FirstOrDefault(c => c.Type == "NetworkReady");
        var failing = runtime is not { Status: true } ? runtime : network is not { Status: true } ? network : null;
        return new RuntimeStatus(runtime?.Status == true, network?.Status == true, failing?.Reason, failing?.Message);
    }

    /// <summary>Writes the node's CNI network for its subnet (containerd picks it up) and its masquerade, then tells the runtime the CIDR.</summary>
    public async Task UpdatePodCidrAsync(string podCidr, CancellationToken cancellationToken)
    {
        new CniConfig(_options.Bridge, podCidr, _options.IpamDir, _options.Mtu).Write(_options.CniConfDir);
        if (_options.ClusterCidr is not null)
        {
            new PodMasquerade(_options.Bridge, podCidr, _options.ClusterCidr).Apply();
        }

        await _runtime.UpdateRuntimeConfigAsync(
            new V1.UpdateRuntimeConfigRequest { RuntimeConfig = new V1.RuntimeConfig { NetworkConfig = new V1.NetworkConfig { PodCidr = podCidr } } },
            cancellationToken: cancellationToken);
    }

    public async Task<IReadOnlyList<ContainerUsage>> ListContainerUsageAsync(CancellationToken cancellationToken)
    {
        var stats = await _runtime.ListContainerStatsAsync(new V1.ListContainerStatsRequest(), cancellationToken: cancellationToken);

        // Only containers with a running task have CPU and memory readings.
        return [.. stats.Stats
            .Where(s => s.Cpu?.UsageCoreNanoSeconds is not null && s.Memory?.WorkingSetBytes is not null)
            .Select(s => new ContainerUsage(
                s.Attributes.Id,
                DateTimeOffset.FromUnixTimeMilliseconds(Math.Max(s.Cpu.Timestamp, s.Memory.Timestamp) / 1_000_000),
                s.Cpu.UsageCoreNanoSeconds.Value,
                s.Memory.WorkingSetBytes.Value,
                s.WritableLayer?.UsedBytes?.Value))];
    }

    public async Task<NodeUsage> NodeUsageAsync(CancellationToken cancellationToken)
    {
        var images = await _images.ImageFsInfoAsync(new V1.ImageFsInfoRequest(), cancellationToken: cancellationToken);
        var imageFs = images.ImageFilesystems.FirstOrDefault()?.FsId?.Mountpoint is { Length: > 0 } mount ? Node.HostUsage.Filesystem(mount) : null;
        return Node.HostUsage.Read(DateTimeOffset.UtcNow, _options.PodsDir, imageFs);
    }

    public async Task<IReadOnlyList<RuntimeImage>> ListImagesAsync(CancellationToken cancellationToken)
    {
        var images = await _images.ListImagesAsync(new V1.ListImagesRequest(), cancellationToken: cancellationToken);
        return [.. images.Images.Select(i => new RuntimeImage([.. i.RepoTags, .. i.RepoDigests], (long)i.Size, i.Id))];
    }

    public async Task RemoveImageAsync(string imageId, CancellationToken cancellationToken)
    {
        try
        {
            await _images.RemoveImageAsync(new V1.RemoveImageRequest { Image = new V1.ImageSpec { Image = imageId } }, cancellationToken: cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            // Gone already.
        }
    }

    /// <summary>containerd answers OK with no image when it has none (notes/containerd.md).</summary>
    public async Task<string?> ImageStatusAsync(string image, CancellationToken cancellationToken)
    {
        var status = await _images.ImageStatusAsync(new V1.ImageStatusRequest { Image = new V1.ImageSpec { Image = image } }, cancellationToken: cancellationToken);
        return string.IsNullOrEmpty(status.Image?.Id) ? null : status.Image.Id;
    }

    public async Task<(long? Uid, string? Name)> ImageUserAsync(string image, CancellationToken cancellationToken)
    {
        var status = await _images.ImageStatusAsync(new V1.ImageStatusRequest { Image = new V1.ImageSpec { Image = image } }, cancellationToken: cancellationToken);
        return (status.Image?.Uid?.Value, string.IsNullOrEmpty(status.Image?.Username) ? null : status.Image.Username);
    }

    public async Task<string> PullImageAsync(string image, RegistryAuth? auth, CancellationToken cancellationToken)
    {
        var request = new V1.PullImageRequest { Image = new V1.ImageSpec { Image = image } };
        if (auth is not null)
        {
            request.Auth = new V1.AuthConfig
            {
                Username = auth.Username ?? string.Empty,
                Password = auth.Password ?? string.Empty,
                IdentityToken = auth.IdentityToken ?? string.Empty,
                RegistryToken = auth.RegistryToken ?? string.Empty,
                ServerAddress = auth.ServerAddress ?? string.Empty,
            };
        }

        try
        {
            var pulled = await _images.PullImageAsync(request, cancellationToken: cancellationToken);
            return pulled.ImageRef;
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
        {
            throw new ImagePullException(Describe(e));
        }
    }

    /// <summary>A gRPC error as Go's status package prints it, which is what upstream's kubelet shows users.</summary>
    internal static string Describe(RpcException e) => $"rpc error: code = {e.StatusCode} desc = {e.Status.Detail}";

    private static DateTimeOffset FromNanos(long nanos) => DateTimeOffset.UnixEpoch.AddTicks(nanos / 100);
}
