using Flotilla.Kubelet.Pods;
using Flotilla.Kubelet.Runtime;
using Flotilla.Kubelet.Streaming;
using Flotilla.Kubelet.Streaming.Spdy;
using Microsoft.AspNetCore.Http;

namespace Flotilla.Kubelet.Server;

/// <summary>
/// The kubelet's <c>/exec</c>, <c>/attach</c> and <c>/portforward</c> (upstream's streaming endpoints, reached
/// through the API server's pods/exec and the rest): the pod and its running container or sandbox found, a session
/// asked of the runtime (CRI Exec, Attach, PortForward), then the client's connection switched — WebSocket
/// (exec/attach channels, or SPDY tunnelled for port-forward) or SPDY — and joined to the runtime's session.
/// Refusals come before the switch, as plain text with upstream's codes and words.
/// </summary>
public sealed class StreamingApi(PodWorkers pods, IContainerRuntime runtime)
{
    private const string PortForwardProtocol = "portforward.k8s.io";
    private const string TunnelPrefix = "SPDY/3.1+";

    /// <summary>Remote command protocols over SPDY, best first (v5 is v4 there).</summary>
    private static readonly string[] SpdyCommandProtocols = [ChannelExec.V5, ChannelExec.V4, "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io"];

    public async Task HandleAsync(HttpContext context, StreamKind kind, string[] parts)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(parts);
        string Part(int i) => parts.Length > i ? Uri.UnescapeDataString(parts[i]) : string.Empty;

        // {namespace}/{pod}[/{uid}]/{container} for exec and attach, {namespace}/{pod}[/{uid}] for port-forward.
        var (ns, podName) = (Part(0), Part(1));
        var container = kind == StreamKind.PortForward ? string.Empty : Part(parts.Length >= 4 ? 3 : 2);
        var pod = ns.Length == 0 || podName.Length == 0 ? null : pods.Pod(ns, podName);
        if (pod is null)
        {
            await KubeletServer.PlainAsync(context, StatusCodes.Status404NotFound, "pod does not exist");
            return;
        }

        var query = context.Request.Query;
        static bool Flag(IQueryCollection q, string name) => q.TryGetValue(name, out var v) && v.ToString() is "1" or "true" or "True";
        var request = new StreamRequest(kind, string.Empty)
        {
            Command = [.. query["command"].Select(c => c ?? string.Empty)],
            Stdin = Flag(query, "input"),
            Stdout = Flag(query, "output"),
            Tty = Flag(query, "tty"),
        };
        request = request with { Stderr = Flag(query, "error") && !request.Tty };
        if (kind != StreamKind.PortForward && !request.Stdin && !request.Stdout && !request.Stderr)
        {
            await KubeletServer.PlainAsync(context, StatusCodes.Status400BadRequest, "you must specify at least 1 of stdin, stdout, stderr");
            return;
        }

        if (!StreamUpgrades.CanUpgrade(context))
        {
            await KubeletServer.PlainAsync(context, StatusCodes.Status400BadRequest, "unable to upgrade: missing upgrade headers in request");
            return;
        }

        // The protocol the client will speak, and the one asked of the runtime.
        var webSocket = StreamUpgrades.IsWebSocket(context.Request);
        var offered = (kind, webSocket) switch
        {
            (StreamKind.PortForward, true) => [TunnelPrefix + PortForwardProtocol],
            (StreamKind.PortForward, false) => [PortForwardProtocol],
            (_, true) => ChannelExec.Protocols,
            _ => SpdyCommandProtocols,
        };
        var protocol = StreamUpgrades.Choose(context.Request, offered);
        if (protocol is null)
        {
            await KubeletServer.PlainAsync(context, StatusCodes.Status400BadRequest, $"unable to upgrade: no supported protocol offered; this server speaks [{string.Join(", ", offered)}]");
            return;
        }

        var runtimeProtocol = kind == StreamKind.PortForward ? PortForwardProtocol : webSocket || protocol == ChannelExec.V5 ? ChannelExec.V4 : protocol;
        var id = kind == StreamKind.PortForward ? await SandboxAsync(pod.Metadata.Uid, context.RequestAborted) : await ContainerAsync(pod.Metadata.Uid, container, context.RequestAborted);
        if (id is null)
        {
            var what = kind == StreamKind.PortForward ? $"pod sandbox for pod \"{podName}\" not found" : $"container not found (\"{container}\")";
            await KubeletServer.PlainAsync(context, StatusCodes.Status500InternalServerError, what);
            return;
        }

        SpdyConnection session;
        try
        {
            var url = await runtime.StreamUrlAsync(request with { Id = id }, context.RequestAborted);
            session = await RuntimeStreams.ConnectAsync(url, runtimeProtocol, context.RequestAborted);
        }
        catch (NotSupportedException e)
        {
            await KubeletServer.PlainAsync(context, StatusCodes.Status400BadRequest, e.Message);
            return;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or HttpRequestException)
        {
            await KubeletServer.PlainAsync(context, StatusCodes.Status500InternalServerError, e.Message);
            return;
        }

        await using (session)
        {
            if (webSocket && kind != StreamKind.PortForward)
            {
                using var socket = await StreamUpgrades.AcceptWebSocketAsync(context, protocol);
                await ChannelExec.RunAsync(socket, session, request, context.RequestAborted);
                return;
            }

            Stream transport = webSocket
                ? new WebSocketStream(await StreamUpgrades.AcceptWebSocketAsync(context, protocol))
                : await StreamUpgrades.AcceptSpdyAsync(context, protocol);
            await using var client = SpdyConnection.Start(transport, server: true);
            await SpdyRelay.RunAsync(client, session, context.RequestAborted);
        }
    }

    /// <summary>The pod's ready sandbox (the newest, should there be more).</summary>
    private async Task<string?> SandboxAsync(string podUid, CancellationToken cancellationToken) =>
        (await runtime.ListPodSandboxesAsync(cancellationToken))
            .Where(s => s.Config.Uid == podUid && s.Ready)
            .OrderByDescending(s => s.CreatedAt)
            .FirstOrDefault()?.Id;

    /// <summary>The named container of the pod as it runs now (upstream's findContainer looks at running pods only).</summary>
    private async Task<string?> ContainerAsync(string podUid, string name, CancellationToken cancellationToken)
    {
        if (await SandboxAsync(podUid, cancellationToken) is not { } sandbox)
        {
            return null;
        }

        return (await runtime.ListContainersAsync(sandbox, cancellationToken))
            .Where(c => c.Name == name && c.State == ContainerState.Running)
            .OrderByDescending(c => c.Attempt)
            .FirstOrDefault()?.Id;
    }
}
