using System.Globalization;
using System.Text.Json;
using Flotilla.Api.Resources;
using Flotilla.ApiServer.Registry;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Http;

/// <summary>
/// The meta.k8s.io/v1 Table kubectl get asks for: column definitions, one row of cells per object, and each row's
/// object as PartialObjectMetadata (kubectl needs it for -A and --show-labels).
/// </summary>
public static class TableWriter
{
    public static byte[] Write(ResourceInfo resource, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> items, long? revision, string? continueToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(items);
        var now = DateTimeOffset.UtcNow;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("kind", "Table");
            w.WriteString("apiVersion", "meta.k8s.io/v1");
            w.WriteStartObject("metadata");
            if (revision is { } rv)
            {
                w.WriteString("resourceVersion", rv.ToString(CultureInfo.InvariantCulture));
            }

            if (continueToken is not null)
            {
                w.WriteString("continue", continueToken);
            }

            w.WriteEndObject();
            w.WriteStartArray("columnDefinitions");
            w.WriteStartObject();
            w.WriteString("name", "Name");
            w.WriteString("type", "string");
            w.WriteString("format", "name");
            w.WriteString("description", "Name must be unique within a namespace.");
            w.WriteNumber("priority", 0);
            w.WriteEndObject();
            w.WriteStartObject();
            w.WriteString("name", "Created At");
            w.WriteString("type", "date");
            w.WriteString("format", string.Empty);
            w.WriteString("description", "CreationTimestamp is a timestamp representing the server time when this object was created.");
            w.WriteNumber("priority", 0);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartArray("rows");
            foreach (var item in items)
            {
                w.WriteStartObject();
                w.WriteStartArray("cells");
                w.WriteStringValue(item.Metadata.Name);
                w.WriteStringValue(Timestamps.Format(item.Metadata.CreationTimestamp));
                w.WriteEndArray();
                w.WritePropertyName("object");
                WritePartialObjectMetadata(w, item);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        _ = now;
        return buffer.ToArray();
    }

    private static void WritePartialObjectMetadata(Utf8JsonWriter w, IKubernetesObject<V1ObjectMeta> item)
    {
        w.WriteStartObject();
        w.WriteString("kind", "PartialObjectMetadata");
        w.WriteString("apiVersion", "meta.k8s.io/v1");
        w.WritePropertyName("metadata");
        JsonSerializer.Serialize(w, item.Metadata, KubernetesJsonOptions.Value);
        w.WriteEndObject();
    }
}
