using Flotilla.Kubelet.Runtime;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Kubelet.Node;

/// <summary>
/// Registers the node and keeps its status (upstream's registerWithAPIServer and syncNodeStatus): the Node is created
/// with its labels and status, or, if it exists, has its well-known labels set right; then every update period the
/// status is computed from the runtime and posted through <c>nodes/&lt;name&gt;/status</c> when it changed or the
/// report period has passed.
/// </summary>
public sealed partial class NodeStatusReporter(IKubernetes client, IContainerRuntime runtime, KubeletOptions options, TimeProvider time, ILogger log)
{
    private readonly SemaphoreSlim _sync = new(1, 1);
    private readonly NodePressure _pressure = new();
    private V1NodeStatus? _posted;
    private DateTimeOffset _postedAt;

    /// <summary>The Node as the API server has it after registration (its UID owns the Lease).</summary>
    public V1Node? Node { get; private set; }

    public async Task RegisterAsync(CancellationToken cancellationToken)
    {
        var node = NodeStatusBuilder.InitialNode(options);
        node.Status = await ComputeAsync(null, cancellationToken);
        try
        {
            Node = await client.CoreV1.CreateNodeAsync(node, cancellationToken: cancellationToken);
            LogRegistered(log, options.NodeName);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // Registered before (a restart): keep it, with the labels this kubelet owns set right.
            var existing = await client.CoreV1.ReadNodeAsync(options.NodeName, cancellationToken: cancellationToken);
            var wanted = node.Metadata.Labels.Where(l => existing.Metadata.Labels?.TryGetValue(l.Key, out var v) != true || v != l.Value).ToDictionary(l => l.Key, l => l.Value);
            Node = wanted.Count == 0
                ? existing
                : await client.CoreV1.PatchNodeAsync(new V1Patch(KubernetesJson.Serialize(new { metadata = new { labels = wanted } }), V1Patch.PatchType.MergePatch), options.NodeName, cancellationToken: cancellationToken);
            LogReregistered(log, options.NodeName);
        }

        _posted = null;
        await SyncAsync(cancellationToken);
    }

    /// <summary>One status round: posted when it changed, or when the report period has passed since the last post.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        await _sync.WaitAsync(cancellationToken);
        try
        {
            await SyncOnceAsync(cancellationToken);
        }
        finally
        {
            _sync.Release();
        }
    }

    private async Task SyncOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var status = await ComputeAsync(_posted?.Conditions ?? Node?.Status?.Conditions, cancellationToken);
        if (_posted is not null && NodeStatusBuilder.SameIgnoringHeartbeats(_posted, status) && now - _postedAt < options.NodeStatusReportFrequency)
        {
            return;
        }

        var patch = KubernetesJson.Serialize(new V1Node { Status = status });
        Node = await client.CoreV1.PatchNodeStatusAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), options.NodeName, cancellationToken: cancellationToken);
        if (_posted?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status != status.Conditions.First(c => c.Type == "Ready").Status)
        {
            LogReady(log, options.NodeName, status.Conditions.First(c => c.Type == "Ready").Status);
        }

        _posted = status;
        _postedAt = now;
    }

    private async Task<V1NodeStatus> ComputeAsync(IList<V1NodeCondition>? previous, CancellationToken cancellationToken)
    {
        var version = await runtime.VersionAsync(cancellationToken);
        var state = await runtime.StatusAsync(cancellationToken);
        var images = await runtime.ListImagesAsync(cancellationToken);
        try
        {
            _pressure.Observe(await runtime.NodeUsageAsync(cancellationToken), time.GetUtcNow());
        }
        catch (Exception e) when (e is Grpc.Core.RpcException or IOException or InvalidDataException)
        {
            // No readings this time: the pressure stays as it was judged last.
            LogUsageFailed(log, options.NodeName, e.Message);
        }

        return NodeStatusBuilder.Status(options, version, state, images, previous, time.GetUtcNow(), _pressure);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "node {Node}: reading the node's usage failed: {Error}")]
    private static partial void LogUsageFailed(ILogger log, string node, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "node {Node}: registered")]
    private static partial void LogRegistered(ILogger log, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "node {Node}: registered before; kept")]
    private static partial void LogReregistered(ILogger log, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "node {Node}: Ready={Ready}")]
    private static partial void LogReady(ILogger log, string node, string ready);
}
