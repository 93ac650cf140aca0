using System.Globalization;
using Flotilla.Api.Errors;
using Flotilla.Api.Validation;
using Flotilla.ApiServer.Http;
using Flotilla.ApiServer.Kubelets;
using Flotilla.ApiServer.Registry;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Flotilla.ApiServer.Handlers;

/// <summary>
/// GET pods/{name}/log (<c>kubectl logs</c>; upstream's LogREST): the options validated, the container chosen (the
/// only one, or the one named), and the log streamed from the kubelet of the pod's node as plain text, flushed as it
/// comes with <c>follow</c>. A pod on no node yet has no log (204).
/// </summary>
public static class PodLogHandler
{
    public static async Task GetAsync(HttpContext context, ResourceStorage storage, RequestInfo info, QueryOptions query)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(query);
        var name = info.Name!;
        var parameters = Parameters(query, name);
        var pod = (V1Pod)(await storage.GetAsync(info.Namespace, name, context.RequestAborted)).Object;
        var container = Container(pod, query["container"]);
        if (string.IsNullOrEmpty(pod.Spec.NodeName))
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        var connections = context.RequestServices.GetRequiredService<KubeletConnections>();
        var registry = context.RequestServices.GetRequiredService<ResourceRegistry>();
        var node = await connections.LocationAsync(registry, pod.Spec.NodeName, context.RequestAborted);
        var location = new UriBuilder(node)
        {
            Path = $"/containerLogs/{Uri.EscapeDataString(pod.Metadata.NamespaceProperty)}/{Uri.EscapeDataString(name)}/{Uri.EscapeDataString(container)}",
            Query = QueryString.Create(parameters).ToUriComponent().TrimStart('?'),
        }.Uri;
        await KubeletProxy.StreamAsync(context, connections, new HttpRequestMessage(HttpMethod.Get, location), query.Option("insecureSkipTLSVerifyBackend"), "pods/log", name, flush: query.Option("follow"));
    }

    /// <summary>What the kubelet is asked (upstream's LogLocation), after ValidatePodLogOptions.</summary>
    private static List<KeyValuePair<string, string?>> Parameters(QueryOptions query, string name)
    {
        var tail = query.Int64("tailLines");
        var limit = query.Int64("limitBytes");
        var sinceSeconds = query.Int64("sinceSeconds");
        DateTimeOffset? sinceTime = null;
        if (query["sinceTime"] is { Length: > 0 } text)
        {
            sinceTime = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed
                : throw StatusException.BadRequest($"parsing time \"{text}\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"{text}\" as \"2006\"");
        }

        var errors = new List<FieldError>();
        if (tail < 0)
        {
            errors.Add(FieldError.Invalid("tailLines", tail, "must be greater than or equal to 0"));
        }

        if (limit < 1)
        {
            errors.Add(FieldError.Invalid("limitBytes", limit, "must be greater than 0"));
        }

        if (sinceSeconds is not null && sinceTime is not null)
        {
            errors.Add(FieldError.Forbidden(string.Empty, "at most one of `sinceTime` or `sinceSeconds` may be specified"));
        }
        else if (sinceSeconds < 1)
        {
            errors.Add(FieldError.Invalid("sinceSeconds", sinceSeconds, "must be greater than 0"));
        }

        if (errors.Count > 0)
        {
            throw StatusException.Invalid(string.Empty, "PodLogOptions", name, errors);
        }

        var parameters = new List<KeyValuePair<string, string?>>();
        void Add(string key, string? value)
        {
            if (value is not null)
            {
                parameters.Add(new(key, value));
            }
        }

        Add("follow", query.Option("follow") ? "true" : null);
        Add("previous", query.Option("previous") ? "true" : null);
        Add("timestamps", query.Option("timestamps") ? "true" : null);
        Add("sinceSeconds", sinceSeconds?.ToString(CultureInfo.InvariantCulture));
        Add("sinceTime", sinceTime?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        Add("tailLines", tail?.ToString(CultureInfo.InvariantCulture));
        Add("limitBytes", limit?.ToString(CultureInfo.InvariantCulture));
        return parameters;
    }

    /// <summary>The container asked for, or the pod's only one (upstream's validateContainer).</summary>
    /// <summary>Upstream's streamLocation: the container named, or the pod's only one.</summary>
    internal static string Container(V1Pod pod, string? container)
    {
        var name = pod.Metadata.Name;
        var all = (pod.Spec.InitContainers ?? []).Select(c => c.Name)
            .Concat((pod.Spec.Containers ?? []).Select(c => c.Name))
            .Concat((pod.Spec.EphemeralContainers ?? []).Select(c => c.Name))
            .ToList();
        if (string.IsNullOrEmpty(container))
        {
            return (pod.Spec.Containers?.Count ?? 0) switch
            {
                1 => pod.Spec.Containers![0].Name,
                0 => throw StatusException.BadRequest($"a container name must be specified for pod {name}"),
                _ => throw StatusException.BadRequest($"a container name must be specified for pod {name}, choose one of: [{string.Join(' ', all)}]"),
            };
        }

        return all.Contains(container) ? container : throw StatusException.BadRequest($"container {container} is not valid for pod {name}");
    }
}
