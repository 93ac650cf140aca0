using System.Text.Json;
using Flotilla.Api;
using Flotilla.Api.Errors;
using Flotilla.Api.Resources;
using Flotilla.Api.Serialization;
using Flotilla.ApiServer.Handlers;
using Flotilla.ApiServer.Http;
using Flotilla.ApiServer.Registry;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Flotilla.ApiServer.MetricsApi;

/// <summary>
/// <c>metrics.k8s.io/v1beta1</c> (what metrics-server serves, built in: <c>kubectl top</c>): NodeMetrics and
/// PodMetrics, get and list, from the <see cref="MetricsStore"/>'s last two readings. Label selectors go to the
/// node or pod the metrics are of, field selectors to their names and namespaces; an object without two readings
/// is left out of lists and is NotFound by name, as upstream's.
/// </summary>
public static class MetricsHandler
{
    public const string Group = "metrics.k8s.io";

    public static async Task HandleAsync(HttpContext context, ResourceInfo resource, RequestInfo info, QueryOptions query)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(info);
        var store = context.RequestServices.GetRequiredService<MetricsStore>();
        var registry = context.RequestServices.GetRequiredService<ResourceRegistry>();
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var nodes = resource.Plural == "nodes";
        var source = registry.Find(string.Empty, "v1", nodes ? "nodes" : "pods")!;
        byte[] body;
        if (info.Name is { } name)
        {
            // The node or pod itself first: its own NotFound when it does not exist.
            var obj = (await source.GetAsync(info.Namespace, name, context.RequestAborted)).Object;
            body = (nodes ? NodeMetrics((V1Node)obj, store, now) : PodMetrics((V1Pod)obj, store, now))
                ?? throw new StatusException(404, "NotFound", $"{(nodes ? "nodemetrics" : "podmetrics")}.{Group} \"{(nodes ? name : $"{info.Namespace}/{name}")}\" not found", new StatusDetails(nodes ? name : $"{info.Namespace}/{name}", Group, nodes ? "nodemetrics" : "podmetrics"));
        }
        else
        {
            var selection = Selection.FromQuery(source.Resource, query);
            var items = (await source.ListAsync(info.Namespace, new ListRequest(selection.Matches), context.RequestAborted)).Items
                .OrderBy(o => o.Metadata.NamespaceProperty, StringComparer.Ordinal)
                .ThenBy(o => o.Metadata.Name, StringComparer.Ordinal)
                .Select(o => nodes ? NodeMetrics((V1Node)o, store, now) : PodMetrics((V1Pod)o, store, now))
                .OfType<byte[]>();
            body = List(resource, items);
        }

        await ApiResponse.WriteJsonAsync(context, StatusCodes.Status200OK, body);
    }

    private static byte[]? NodeMetrics(V1Node node, MetricsStore store, DateTimeOffset now)
    {
        if (store.Node(node.Metadata.Name) is not { } usage)
        {
            return null;
        }

        return Write(w =>
        {
            Head(w, "NodeMetrics", node.Metadata, now);
            w.WriteString("timestamp", Time(usage.Timestamp));
            w.WriteString("window", GoDuration.Format(usage.Window));
            Usage(w, usage);
        });
    }

    private static byte[]? PodMetrics(V1Pod pod, MetricsStore store, DateTimeOffset now)
    {
        if (store.Pod(pod.Metadata.NamespaceProperty, pod.Metadata.Name) is not { } containers)
        {
            return null;
        }

        // The pod's time and window are those of its container read earliest.
        var first = containers.MinBy(c => c.Usage.Timestamp).Usage;
        return Write(w =>
        {
            Head(w, "PodMetrics", pod.Metadata, now);
            w.WriteString("timestamp", Time(first.Timestamp));
            w.WriteString("window", GoDuration.Format(first.Window));
            w.WriteStartArray("containers");
            foreach (var (name, usage) in containers)
            {
                w.WriteStartObject();
                w.WriteString("name", name);
                Usage(w, usage);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    private static void Head(Utf8JsonWriter w, string kind, V1ObjectMeta of, DateTimeOffset now)
    {
        w.WriteString("kind", kind);
        w.WriteString("apiVersion", $"{Group}/v1beta1");
        w.WriteStartObject("metadata");
        w.WriteString("name", of.Name);
        if (of.NamespaceProperty is { Length: > 0 } ns)
        {
            w.WriteString("namespace", ns);
        }

        w.WriteString("creationTimestamp", Time(now));
        if (of.Labels is { Count: > 0 } labels)
        {
            w.WriteStartObject("labels");
            foreach (var (key, value) in labels)
            {
                w.WriteString(key, value);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void Usage(Utf8JsonWriter w, MetricsUsage usage)
    {
        w.WriteStartObject("usage");
        w.WriteString("cpu", MetricsUsage.Cpu(usage.CpuNanoCores));
        w.WriteString("memory", MetricsUsage.Memory(usage.MemoryBytes));
        w.WriteEndObject();
    }

    private static byte[] List(ResourceInfo resource, IEnumerable<byte[]> items) => Write(w =>
    {
        w.WriteString("kind", resource.ListKind);
        w.WriteString("apiVersion", resource.ApiVersion);
        w.WriteStartObject("metadata");
        w.WriteEndObject();
        w.WriteStartArray("items");
        foreach (var item in items)
        {
            w.WriteRawValue(item, skipInputValidation: true);
        }

        w.WriteEndArray();
    });

    private static byte[] Write(Action<Utf8JsonWriter> fields)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            fields(w);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static string Time(DateTimeOffset time) => Timestamps.Format(time.UtcDateTime)!;
}
