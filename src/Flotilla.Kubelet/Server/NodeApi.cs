using System.Globalization;
using System.Text.Json;
using Flotilla.Kubelet.Logs;
using Flotilla.Kubelet.Pods;
using Flotilla.Kubelet.Runtime;
using Flotilla.Kubelet.Stats;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Flotilla.Kubelet.Server;

/// <summary>
/// What one node's kubelet API answers (upstream's kubelet server): <c>/healthz</c>, <c>/pods</c> (the pods it runs,
/// as it sees them), <c>/containerLogs/{namespace}/{pod}/{container}</c> (what <c>kubectl logs</c> reaches
/// through the API server), <c>/metrics/resource</c> and <c>/stats/summary</c> (what the node and its pods use), and
/// the streaming endpoints of <see cref="StreamingApi"/> (exec, attach, port-forward).
/// Errors are plain text with upstream's codes and words.
/// </summary>
public sealed class NodeApi(string nodeName, PodWorkers pods, IContainerRuntime runtime, TimeProvider time)
{
    private readonly StreamingApi _streaming = new(pods, runtime);

    private static (StreamKind Kind, string Prefix)? Streaming(string path) =>
        path.StartsWith("/exec/", StringComparison.Ordinal) ? (StreamKind.Exec, "/exec/")
        : path.StartsWith("/attach/", StringComparison.Ordinal) ? (StreamKind.Attach, "/attach/")
        : path.StartsWith("/portforward/", StringComparison.Ordinal) ? (StreamKind.PortForward, "/portforward/")
        : null;

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.Path.Value ?? "/";
        var get = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
        if (get && path is "/healthz" or "/healthz/")
        {
            await KubeletServer.PlainAsync(context, StatusCodes.Status200OK, "ok");
        }
        else if (get && path is "/pods" or "/pods/")
        {
            context.Response.ContentType = "application/json";
            var list = new V1PodList { ApiVersion = "v1", Kind = "PodList", Metadata = new V1ListMeta(), Items = [.. pods.Pods()] };
            await context.Response.WriteAsync(KubernetesJson.Serialize(list), context.RequestAborted);
        }
        else if (get && path.StartsWith("/containerLogs/", StringComparison.Ordinal))
        {
            await ContainerLogsAsync(context, path["/containerLogs/".Length..].Split('/'));
        }
        else if (get && path is "/metrics/resource")
        {
            await ResourceMetricsAsync(context);
        }
        else if (get && path is "/stats/summary" or "/stats/summary/")
        {
            var snapshot = await UsageSnapshot.CollectAsync(runtime, context.RequestAborted);
            context.Response.ContentType = "application/json";
            var onlyCpuAndMemory = context.Request.Query["only_cpu_and_memory"] is var v && v.ToString() is "true" or "1";
            await context.Response.Body.WriteAsync(StatsSummary.Format(nodeName, Started, snapshot, onlyCpuAndMemory), context.RequestAborted);
        }
        else if (Streaming(path) is { } kind && (get || HttpMethods.IsPost(context.Request.Method)))
        {
            await _streaming.HandleAsync(context, kind.Kind, path[kind.Prefix.Length..].Split('/'));
        }
        else
        {
            await KubeletServer.PlainAsync(context, StatusCodes.Status404NotFound, "404 page not found");
        }
    }

    /// <summary>The readings, or when they fail only <c>resource_scrape_error 1</c> (as upstream's collector).</summary>
    private async Task ResourceMetricsAsync(HttpContext context)
    {
        string text;
        try
        {
            text = ResourceMetrics.Format(await UsageSnapshot.CollectAsync(runtime, context.RequestAborted));
        }
        catch (Exception e) when (e is Grpc.Core.RpcException or IOException or InvalidDataException)
        {
            text = ResourceMetrics.ScrapeError();
        }

        context.Response.ContentType = ResourceMetrics.ContentType;
        await context.Response.WriteAsync(text, context.RequestAborted);
    }

    /// <summary>When the machine started (the node's <c>startTime</c>).</summary>
    private static readonly DateTimeOffset Started = DateTimeOffset.UtcNow - TimeSpan.FromMilliseconds(Environment.TickCount64);

    private async Task ContainerLogsAsync(HttpContext context, string[] parts)
    {
        string Part(int i) => parts.Length > i ? Uri.UnescapeDataString(parts[i]) : string.Empty;
        var (ns, podName, container) = (Part(0), Part(1), Part(2));
        if (podName.Length == 0 || container.Length == 0 || ns.Length == 0)
        {
            var missing = podName.Length == 0 ? "podID" : container.Length == 0 ? "container name" : "podNamespace";
            await KubeletServer.PlainAsync(context, StatusCodes.Status400BadRequest, $"{{\"message\": \"Missing {missing}.\"}}");
            return;
        }

        var (options, previous, problem) = ParseOptions(context.Request.Query);
        if (problem is not null)
        {
            await KubeletServer.PlainAsync(context, problem.Value.Status, problem.Value.Text);
            return;
        }

        var pod = pods.Pod(ns, podName);
        if (pod is null)
        {
            await KubeletServer.PlainAsync(context, StatusCodes.Status404NotFound, $"pod \"{podName}\" does not exist");
            return;
        }

        var specs = (pod.Spec.InitContainers ?? []).Concat(pod.Spec.Containers ?? []);
        if (!specs.Any(c => c.Name == container) && !(pod.Spec.EphemeralContainers ?? []).Any(c => c.Name == container))
        {
            await KubeletServer.PlainAsync(context, StatusCodes.Status404NotFound, $"container \"{container}\" not found in pod \"{podName}\"");
            return;
        }

        var (containerId, error) = ContainerLogStatus.Validate(pod, container, previous);
        if (error is not null)
        {
            await KubeletServer.PlainAsync(context, StatusCodes.Status400BadRequest, error);
            return;
        }

        var id = containerId![(containerId!.IndexOf("://", StringComparison.Ordinal) + 3)..];
        Stream log;
        try
        {
            log = await runtime.OpenLogAsync(id, context.RequestAborted);
        }
        catch (InvalidOperationException e)
        {
            await KubeletServer.PlainAsync(context, StatusCodes.Status400BadRequest, $"failed to get container status {id}: {e.Message}");
            return;
        }

        await using (log)
        {
            context.Response.ContentType = "text/plain";
            await context.Response.StartAsync(context.RequestAborted);
            await ContainerLogReader.CopyAsync(log, options, context.Response.Body, ct => RunningAsync(id, ct), time, context.RequestAborted);
        }
    }

    private async Task<bool> RunningAsync(string containerId, CancellationToken cancellationToken) =>
        (await runtime.ListContainersAsync(null, cancellationToken)).Any(c => c.Id == containerId && c.State == ContainerState.Running);

    /// <summary>PodLogOptions from the query (<c>tail</c> is the old name of <c>tailLines</c>), validated as upstream does.</summary>
    private (ContainerLogOptions Options, bool Previous, (int Status, string Text)? Problem) ParseOptions(IQueryCollection query)
    {
        // Go's parameter codec: present means true, unless it says 0 or false.
        static bool Flag(IQueryCollection q, string name) => q.TryGetValue(name, out var v) && v.ToString() is var s && s != "0" && !s.Equals("false", StringComparison.OrdinalIgnoreCase);
        var undecodable = (StatusCodes.Status400BadRequest, "{\"message\": \"Unable to decode query.\"}");
        var invalid = (StatusCodes.Status422UnprocessableEntity, "{\"message\": \"Invalid request.\"}");
        long? Number(string name, out bool bad)
        {
            bad = false;
            if (!query.TryGetValue(name, out var v) || v.ToString().Length == 0)
            {
                return null;
            }

            bad = !long.TryParse(v.ToString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n);
            return n;
        }

        var tailText = query.TryGetValue("tail", out var t) ? t.ToString() : null;
        var tail = Number("tailLines", out var badTail);
        if (tailText is { Length: > 0 } && tailText != "all")
        {
            badTail |= !long.TryParse(tailText, CultureInfo.InvariantCulture, out var parsed);
            tail = parsed;
        }
        else if (tailText == "all")
        {
            tail = null;
        }

        var limit = Number("limitBytes", out var badLimit);
        var sinceSeconds = Number("sinceSeconds", out var badSince);
        DateTimeOffset? sinceTime = null;
        var badTime = false;
        if (query.TryGetValue("sinceTime", out var st) && st.ToString().Length > 0)
        {
            badTime = !DateTimeOffset.TryParse(st.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsedTime);
            sinceTime = parsedTime;
        }

        if (badTail || badLimit || badSince || badTime)
        {
            return (new ContainerLogOptions(), false, undecodable);
        }

        if (tail < 0 || limit < 1 || sinceSeconds < 1 || (sinceSeconds is not null && sinceTime is not null))
        {
            return (new ContainerLogOptions(), false, invalid);
        }

        if (sinceSeconds is { } seconds)
        {
            sinceTime = time.GetUtcNow() - TimeSpan.FromSeconds(seconds);
        }

        return (new ContainerLogOptions(Flag(query, "follow"), tail, limit, sinceTime, Flag(query, "timestamps")), Flag(query, "previous"), null);
    }
}
