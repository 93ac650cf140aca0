using System.Text.Json;
using Flotilla.Api.Errors;

namespace Flotilla.ApiServer.Http;

/// <summary>Writes metav1.Status (the KubernetesClient models cannot serialize it).</summary>
public static class StatusWriter
{
    public static byte[] Failure(StatusException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            Write(w, e);
        }

        return buffer.ToArray();
    }

    public static void Write(Utf8JsonWriter w, StatusException e)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(e);
        w.WriteStartObject();
        w.WriteString("kind", "Status");
        w.WriteString("apiVersion", "v1");
        w.WriteStartObject("metadata");
        w.WriteEndObject();
        w.WriteString("status", "Failure");
        w.WriteString("message", e.Message);
        if (e.Reason.Length > 0)
        {
            w.WriteString("reason", e.Reason);
        }

        if (e.Details is { } d)
        {
            WriteDetails(w, d);
        }

        w.WriteNumber("code", e.Code);
        w.WriteEndObject();
    }

    /// <summary>The <c>details</c> property of a Status (also written in audit events' responseStatus).</summary>
    public static void WriteDetails(Utf8JsonWriter w, StatusDetails d)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(d);
        w.WriteStartObject("details");
        WriteIfSet(w, "name", d.Name);
        WriteIfSet(w, "group", d.Group);
        WriteIfSet(w, "kind", d.Kind);
        WriteIfSet(w, "uid", d.Uid);
        if (d.Causes is { Count: > 0 })
        {
            w.WriteStartArray("causes");
            foreach (var c in d.Causes)
            {
                w.WriteStartObject();
                WriteIfSet(w, "reason", c.Reason);
                WriteIfSet(w, "message", c.Message);
                WriteIfSet(w, "field", c.Field);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        if (d.RetryAfterSeconds is { } retry)
        {
            w.WriteNumber("retryAfterSeconds", retry);
        }

        w.WriteEndObject();
    }

    /// <summary>A Success status, as upstream answers some deletes.</summary>
    public static byte[] Success(string? name, string group, string kind, string? uid)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("kind", "Status");
            w.WriteString("apiVersion", "v1");
            w.WriteStartObject("metadata");
            w.WriteEndObject();
            w.WriteString("status", "Success");
            w.WriteStartObject("details");
            WriteIfSet(w, "name", name);
            WriteIfSet(w, "group", group.Length == 0 ? null : group);
            WriteIfSet(w, "kind", kind);
            WriteIfSet(w, "uid", uid);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteIfSet(Utf8JsonWriter w, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            w.WriteString(name, value);
        }
    }
}
