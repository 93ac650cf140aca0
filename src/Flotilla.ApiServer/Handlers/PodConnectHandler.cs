using System.Globalization;
using Flotilla.Api.Errors;
using Flotilla.ApiServer.Http;
using Flotilla.ApiServer.Kubelets;
using Flotilla.ApiServer.Registry;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Flotilla.ApiServer.Handlers;

/// <summary>
/// pods/exec, pods/attach and pods/portforward (upstream's ExecREST, AttachREST and PortForwardREST): the pod and
/// container checked, then the client's upgraded connection passed through to the kubelet of the pod's node, which
/// speaks the streaming protocols (<c>kubectl exec</c>, <c>attach</c>, <c>cp</c>, <c>port-forward</c>).
/// </summary>
public static class PodConnectHandler
{
    public static async Task ConnectAsync(HttpContext context, ResourceStorage storage, RequestInfo info, QueryOptions query)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(query);
        var name = info.Name!;
        var subresource = info.Subresource!;
        var pod = (V1Pod)(await storage.GetAsync(info.Namespace, name, context.RequestAborted)).Object;
        var ns = Uri.EscapeDataString(pod.Metadata.NamespaceProperty);
        string path;
        List<KeyValuePair<string, string?>> parameters = [];
        if (subresource == "portforward")
        {
            foreach (var port in context.Request.Query["ports"])
            {
                foreach (var one in (port ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (!int.TryParse(one, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
                    {
                        throw StatusException.BadRequest($"invalid port \"{one}\": must be between 1 and 65535, inclusive");
                    }

                    parameters.Add(new("port", one));
                }
            }

            path = $"/portforward/{ns}/{Uri.EscapeDataString(name)}";
        }
        else
        {
            var container = PodLogHandler.Container(pod, query["container"]);
            if (subresource == "exec")
            {
                parameters.AddRange(context.Request.Query["command"].Select(c => new KeyValuePair<string, string?>("command", c)));
            }

            // The kubelet's names for them (upstream's ExecStdinParam and the rest): input, output, error, tty.
            foreach (var (stream, kubelet) in (ReadOnlySpan<(string, string)>)[("stdin", "input"), ("stdout", "output"), ("stderr", "error"), ("tty", "tty")])
            {
                if (query.Flag(stream))
                {
                    parameters.Add(new(kubelet, "1"));
                }
            }

            path = $"/{subresource}/{ns}/{Uri.EscapeDataString(name)}/{Uri.EscapeDataString(container)}";
        }

        if (string.IsNullOrEmpty(pod.Spec.NodeName))
        {
            throw StatusException.BadRequest($"pod {name} does not have a host assigned");
        }

        var connections = context.RequestServices.GetRequiredService<KubeletConnections>();
        var registry = context.RequestServices.GetRequiredService<ResourceRegistry>();
        var node = await connections.LocationAsync(registry, pod.Spec.NodeName, context.RequestAborted);
        var location = new UriBuilder(node) { Path = path, Query = QueryString.Create(parameters).ToUriComponent().TrimStart('?') }.Uri;
        await KubeletProxy.UpgradeAsync(context, connections, location, insecureSkipTlsVerify: false, $"pods/{subresource}", name);
    }
}
