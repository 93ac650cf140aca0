using System.Globalization;
using System.Text.Json;
using Flotilla.Api.Resources;
using Flotilla.Api.Serialization;
using Flotilla.ApiServer.Printing;
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
    public static byte[] Write(ResourceInfo resource, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> items, long? revision, string? continueToken, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(items);
        // Printers are written for a kind's storage version; its other versions get the default columns.
        var printer = resource.StoredAs is null ? TablePrinters.For(resource.Group, resource.Plural) : DefaultTablePrinter.Instance;
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
            foreach (var column in printer.Columns)
            {
                w.WriteStartObject();
                w.WriteString("name", column.Name);
                w.WriteString("type", column.Type);
                w.WriteString("format", column.Format);
                w.WriteString("description", column.Description);
                w.WriteNumber("priority", column.Priority);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("rows");
            foreach (var item in items)
            {
                w.WriteStartObject();
                w.WriteStartArray("cells");
                foreach (var cell in printer.Cells(item, now))
                {
                    JsonSerializer.Serialize(w, cell, cell?.GetType() ?? typeof(object));
                }

                w.WriteEndArray();
                w.WritePropertyName("object");
                WritePartialObjectMetadata(w, item);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

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
