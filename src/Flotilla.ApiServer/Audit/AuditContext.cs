using System.Security.Cryptography;
using System.Text.Json;
using Flotilla.Api.Errors;
using Flotilla.ApiServer.Auth;
using Flotilla.ApiServer.Http;
using Microsoft.AspNetCore.Http;

namespace Flotilla.ApiServer.Audit;

/// <summary>
/// A request's audit state, kept as a feature of its HttpContext: its audit ID (every request has one, echoed in the
/// <c>Audit-ID</c> response header as upstream's audit-init filter does) and, when the policy logs the request, its
/// event. The filters and handlers that learn something about the request (impersonation, the authorization
/// decision, the body, a failure) record it here.
/// </summary>
public sealed class AuditContext
{
    public const string AuditIdHeader = "Audit-ID";
    public const string DecisionAnnotation = "authorization.k8s.io/decision";
    public const string ReasonAnnotation = "authorization.k8s.io/reason";

    [ThreadStatic]
    private static byte[]? t_idPool;

    [ThreadStatic]
    private static int t_idUsed;

    private AuditContext(string id, DateTimeOffset receivedAt)
    {
        Id = id;
        ReceivedAt = receivedAt;
    }

    public string Id { get; }

    public DateTimeOffset ReceivedAt { get; }

    /// <summary>The event, when the request is logged (its level is above None).</summary>
    public AuditEvent? Event { get; private set; }

    public RequestAuditConfig Config { get; private set; } = RequestAuditConfig.None;

    /// <summary>Whether the ResponseStarted stage has been handled (long-running requests).</summary>
    internal bool ResponseStarted { get; set; }

    /// <summary>Whether the last stage has been handled; nothing is logged after it.</summary>
    internal bool Completed { get; set; }

    public static AuditContext? Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<AuditContext>();
    }

    /// <summary>Gives the request its audit ID (the client's <c>Audit-ID</c> header if it sent one) and echoes it.</summary>
    public static AuditContext Init(HttpContext context, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(time);
        var id = context.Request.Headers[AuditIdHeader].ToString();
        var audit = new AuditContext(id.Length > 0 ? id : NewId(), time.GetUtcNow());
        context.Response.Headers[AuditIdHeader] = audit.Id;
        context.Features.Set(audit);
        return audit;
    }

    /// <summary>
    /// A random (version 4) UUID, as upstream's audit IDs. Every request gets one, so its random bytes come from a
    /// per-thread pool refilled 256 IDs at a time rather than from a system call per ID (Guid.NewGuid).
    /// </summary>
    internal static string NewId()
    {
        const int IdsPerFill = 256;
        var pool = t_idPool ??= new byte[16 * IdsPerFill];
        if (t_idUsed == 0)
        {
            RandomNumberGenerator.Fill(pool);
        }

        var bytes = pool.AsSpan(t_idUsed * 16, 16);
        t_idUsed = (t_idUsed + 1) % IdsPerFill;
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString();
    }

    internal void Begin(AuditEvent ev, RequestAuditConfig config)
    {
        Event = ev;
        Config = config;
    }

    public void Annotate(string key, string value) => Event?.Annotate(key, value);

    public void LogImpersonatedUser(UserInfo user)
    {
        if (Event is { } ev)
        {
            ev.ImpersonatedUser = user;
        }
    }

    /// <summary>A failure answered as a Status: its code, reason, message and details.</summary>
    public void LogResponseStatus(StatusException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (Event is { } ev)
        {
            ev.ResponseStatus = new AuditResponseStatus(error.Code, "Failure", error.Message, error.Reason.Length == 0 ? null : error.Reason, error.Details);
        }
    }

    /// <summary>
    /// The request body, as a handler read it: it completes the object reference from the body's metadata (the name
    /// of a created object) and, at Request level and above, becomes the event's request object, as JSON (YAML and
    /// protobuf bodies are converted). Non-resource requests never log a body.
    /// </summary>
    public void LogRequestBody(byte[] body, string? contentType)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (Event is not { ObjectRef: { } objectRef } ev || body.Length == 0)
        {
            return;
        }

        byte[] json;
        try
        {
            json = RequestBody.ToJson(body, contentType);
        }
        catch (StatusException)
        {
            return;  // the handler answers the bad body itself
        }

        if (ev.Verb != "patch")
        {
            CompleteObjectRef(json, objectRef);
        }

        if (ev.Level >= AuditLevel.Request)
        {
            ev.RequestObject = json;
        }
    }

    // Only what the path left empty, from the body's top-level metadata, as upstream's LogRequestObject.
    private static void CompleteObjectRef(byte[] json, AuditObjectReference objectRef)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("metadata"u8))
                {
                    reader.Skip();
                    continue;
                }

                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    return;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var field = reader.GetString();
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        reader.Skip();
                        continue;
                    }

                    var value = reader.GetString()!;
                    switch (field)
                    {
                        case "name" when objectRef.Name.Length == 0:
                            objectRef.Name = value;
                            break;
                        case "namespace" when objectRef.Namespace.Length == 0:
                            objectRef.Namespace = value;
                            break;
                        case "uid" when objectRef.Uid.Length == 0:
                            objectRef.Uid = value;
                            break;
                        case "resourceVersion" when objectRef.ResourceVersion.Length == 0:
                            objectRef.ResourceVersion = value;
                            break;
                    }
                }

                return;
            }
        }
        catch (JsonException)
        {
            // Not JSON after all: the handler rejects it; the reference stays as the path gave it.
        }
    }
}
