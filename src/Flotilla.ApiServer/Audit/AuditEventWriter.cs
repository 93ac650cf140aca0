using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flotilla.ApiServer.Auth;
using Flotilla.ApiServer.Http;

namespace Flotilla.ApiServer.Audit;

/// <summary>
/// Writes an audit event as one JSON line in the shape and field order kube-apiserver's log backend writes
/// (audit.k8s.io/v1, empty fields left out, timestamps as MicroTime: UTC with microseconds). Request and response
/// objects are embedded compacted; one that is not valid JSON is left out rather than breaking the line.
/// </summary>
public static class AuditEventWriter
{
    private const string MicroTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";
    private const int MaxKeptBuffer = 256 * 1024;

    // Escapes as Go's encoding/json: \" and \\, non-ASCII text as is (the relaxed encoder), and <, > and & as \u003c,
    // \u003e and \u0026 (added afterwards: outside strings JSON has none of them).
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Reused per thread: serializing is synchronous, and a request's event is rarely bigger than a few KiB.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>The event as one line, newline included, in a pooled buffer (<see cref="AuditLine.Release"/>).</summary>
    public static AuditLine Serialize(AuditEvent ev, bool omitManagedFields = false)
    {
        ArgumentNullException.ThrowIfNull(ev);
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var w = t_writer ??= new Utf8JsonWriter(buffer, Options);
        w.Reset(buffer);
        Write(w, ev, omitManagedFields);
        w.Flush();
        var line = EscapeHtml(buffer.WrittenSpan);
        if (buffer.Capacity > MaxKeptBuffer)
        {
            // A big response object: let its buffer go rather than keep it for the thread's life.
            t_buffer = null;
            t_writer = null;
        }

        return line;
    }

    private static void Write(Utf8JsonWriter w, AuditEvent ev, bool omitManagedFields)
    {
        w.WriteStartObject();
        w.WriteString("kind", "Event");
        w.WriteString("apiVersion", "audit.k8s.io/v1");
        w.WriteString("level", ev.Level.ToString());
        w.WriteString("auditID", ev.AuditId);
        w.WriteString("stage", ev.Stage.ToString());
        w.WriteString("requestURI", ev.RequestUri);
        w.WriteString("verb", ev.Verb);
        WriteUser(w, "user", ev.User);
        if (ev.ImpersonatedUser is { } impersonated)
        {
            WriteUser(w, "impersonatedUser", impersonated);
        }

        if (ev.SourceIps.Count > 0)
        {
            w.WriteStartArray("sourceIPs");
            foreach (var ip in ev.SourceIps)
            {
                w.WriteStringValue(ip);
            }

            w.WriteEndArray();
        }

        WriteIfSet(w, "userAgent", ev.UserAgent);
        if (ev.ObjectRef is { } o)
        {
            w.WriteStartObject("objectRef");
            WriteIfSet(w, "resource", o.Resource);
            WriteIfSet(w, "namespace", o.Namespace);
            WriteIfSet(w, "name", o.Name);
            WriteIfSet(w, "uid", o.Uid);
            WriteIfSet(w, "apiGroup", o.ApiGroup);
            WriteIfSet(w, "apiVersion", o.ApiVersion);
            WriteIfSet(w, "resourceVersion", o.ResourceVersion);
            WriteIfSet(w, "subresource", o.Subresource);
            w.WriteEndObject();
        }

        if (ev.ResponseStatus is { } s)
        {
            w.WriteStartObject("responseStatus");
            w.WriteStartObject("metadata");
            w.WriteEndObject();
            WriteIfSet(w, "status", s.Status);
            WriteIfSet(w, "message", s.Message);
            WriteIfSet(w, "reason", s.Reason);
            if (s.Details is { } details)
            {
                StatusWriter.WriteDetails(w, details);
            }

            if (s.Code != 0)
            {
                w.WriteNumber("code", s.Code);
            }

            w.WriteEndObject();
        }

        WriteObject(w, "requestObject", ev.RequestObject, omitManagedFields);
        WriteObject(w, "responseObject", ev.ResponseObject, omitManagedFields);
        WriteMicroTime(w, "requestReceivedTimestamp", ev.RequestReceivedTimestamp);
        WriteMicroTime(w, "stageTimestamp", ev.StageTimestamp);
        if (ev.Annotations is { Count: > 0 } annotations)
        {
            w.WriteStartObject("annotations");
            foreach (var (key, value) in annotations)
            {
                w.WriteString(key, value);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    // The JSON with a newline, and <, > and & escaped (each grows by 5 bytes).
    private static AuditLine EscapeHtml(ReadOnlySpan<byte> json)
    {
        var count = 0;
        for (var rest = json; rest.IndexOfAny("<>&"u8) is var i and >= 0; rest = rest[(i + 1)..])
        {
            count++;
        }

        var length = json.Length + (count * 5) + 1;
        var line = ArrayPool<byte>.Shared.Rent(length);
        var at = 0;
        for (var rest = json; !rest.IsEmpty;)
        {
            var i = rest.IndexOfAny("<>&"u8);
            var plain = i < 0 ? rest : rest[..i];
            plain.CopyTo(line.AsSpan(at));
            at += plain.Length;
            if (i < 0)
            {
                break;
            }

            var escaped = rest[i] switch
            {
                (byte)'<' => "\\u003c"u8,
                (byte)'>' => "\\u003e"u8,
                _ => "\\u0026"u8,
            };
            escaped.CopyTo(line.AsSpan(at));
            at += escaped.Length;
            rest = rest[(i + 1)..];
        }

        line[at] = (byte)'\n';
        return new AuditLine(line, length);
    }

    private static void WriteUser(Utf8JsonWriter w, string name, UserInfo? user)
    {
        w.WriteStartObject(name);
        if (user is not null)
        {
            WriteIfSet(w, "username", user.Name);
            if (user.Groups.Count > 0)
            {
                w.WriteStartArray("groups");
                foreach (var group in user.Groups)
                {
                    w.WriteStringValue(group);
                }

                w.WriteEndArray();
            }
        }

        w.WriteEndObject();
    }

    private static void WriteObject(Utf8JsonWriter w, string name, ReadOnlyMemory<byte>? json, bool omitManagedFields)
    {
        if (json is not { } bytes)
        {
            return;
        }

        if (!omitManagedFields)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(bytes);
            }
            catch (JsonException)
            {
                return;
            }

            using (document)
            {
                w.WritePropertyName(name);
                document.RootElement.WriteTo(w);
            }

            return;
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(bytes.Span);
        }
        catch (JsonException)
        {
            return;
        }

        if (node is not null)
        {
            OmitManagedFields(node);
            w.WritePropertyName(name);
            node.WriteTo(w);
        }
    }

    // Where upstream drops them: the object's own metadata, a list's items, a table's row objects.
    private static void OmitManagedFields(JsonNode node)
    {
        if (node is not JsonObject obj)
        {
            return;
        }

        (obj["metadata"] as JsonObject)?.Remove("managedFields");
        foreach (var item in (obj["items"] as JsonArray) ?? [])
        {
            ((item as JsonObject)?["metadata"] as JsonObject)?.Remove("managedFields");
        }

        foreach (var row in (obj["rows"] as JsonArray) ?? [])
        {
            (((row as JsonObject)?["object"] as JsonObject)?["metadata"] as JsonObject)?.Remove("managedFields");
        }
    }

    private static void WriteMicroTime(Utf8JsonWriter w, string name, DateTimeOffset time)
    {
        Span<char> text = stackalloc char[32];
        time.UtcDateTime.TryFormat(text, out var length, MicroTimeFormat, CultureInfo.InvariantCulture);
        w.WriteString(name, text[..length]);
    }

    private static void WriteIfSet(Utf8JsonWriter w, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            w.WriteString(name, value);
        }
    }
}
