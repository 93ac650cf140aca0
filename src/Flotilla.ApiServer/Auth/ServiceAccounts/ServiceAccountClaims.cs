using System.Buffers;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Auth.ServiceAccounts;

/// <summary>
/// The claims of a ServiceAccount token as kube-apiserver writes them (pkg/serviceaccount/claims.go): the registered
/// ones (iss, sub, aud, exp, iat, nbf, jti) and <c>kubernetes.io</c> with the namespace, the service account and the
/// object the token is bound to. Written with sorted keys and <c>aud</c> always a list, as go-jose marshals them.
/// </summary>
public sealed record ServiceAccountClaims
{
    public string Issuer { get; init; } = string.Empty;

    public string Subject { get; init; } = string.Empty;

    public IReadOnlyList<string> Audiences { get; init; } = [];

    /// <summary>Unix seconds; null when absent.</summary>
    public long? Expiry { get; init; }

    public long? IssuedAt { get; init; }

    public long? NotBefore { get; init; }

    /// <summary>The token's unique ID (a UUID), empty when absent.</summary>
    public string Id { get; init; } = string.Empty;

    public string Namespace { get; init; } = string.Empty;

    public ObjectRef ServiceAccount { get; init; }

    public ObjectRef? Pod { get; init; }

    public ObjectRef? Secret { get; init; }

    public ObjectRef? Node { get; init; }

    /// <summary>For extended pod tokens: when the requested lifetime ended (upstream only warns after it).</summary>
    public long? WarnAfter { get; init; }

    /// <summary>
    /// The claims of a new token (upstream's serviceaccount.Claims): valid from <paramref name="now"/> for
    /// <paramref name="expirationSeconds"/>, bound to at most one of a pod (with its node, when it has one), a secret
    /// or a node.
    /// </summary>
    public static ServiceAccountClaims For(
        V1ServiceAccount serviceAccount, IKubernetesObject<V1ObjectMeta>? bound, V1Node? podNode, long expirationSeconds, long warnAfter,
        IReadOnlyList<string> audiences, DateTimeOffset now, string id)
    {
        ArgumentNullException.ThrowIfNull(serviceAccount);
        var seconds = now.ToUnixTimeSeconds();
        return new ServiceAccountClaims
        {
            Subject = ServiceAccountUser.Name(serviceAccount.Metadata.NamespaceProperty, serviceAccount.Metadata.Name),
            Audiences = audiences,
            IssuedAt = seconds,
            NotBefore = seconds,
            Expiry = seconds + expirationSeconds,
            Id = id,
            Namespace = serviceAccount.Metadata.NamespaceProperty,
            ServiceAccount = Ref(serviceAccount),
            Pod = bound is V1Pod ? Ref(bound) : null,
            Secret = bound is V1Secret ? Ref(bound) : null,
            Node = bound is V1Node ? Ref(bound) : podNode is not null ? Ref(podNode) : null,
            WarnAfter = warnAfter != 0 ? seconds + warnAfter : null,
        };
    }

    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            if (Audiences.Count > 0)
            {
                w.WriteStartArray("aud");
                foreach (var audience in Audiences)
                {
                    w.WriteStringValue(audience);
                }

                w.WriteEndArray();
            }

            WriteNumber(w, "exp", Expiry);
            WriteNumber(w, "iat", IssuedAt);
            WriteString(w, "iss", Issuer);
            WriteString(w, "jti", Id);
            w.WriteStartObject("kubernetes.io");
            WriteString(w, "namespace", Namespace);
            WriteRef(w, "node", Node);
            WriteRef(w, "pod", Pod);
            WriteRef(w, "secret", Secret);
            WriteRef(w, "serviceaccount", ServiceAccount);
            WriteNumber(w, "warnafter", WarnAfter);
            w.WriteEndObject();
            WriteNumber(w, "nbf", NotBefore);
            WriteString(w, "sub", Subject);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a payload; a claim of the wrong JSON type is a <see cref="JwsException"/>, unknown claims are ignored.</summary>
    public static ServiceAccountClaims Parse(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new JwsException("the payload is not a JSON object");
            }

            var k8s = root.TryGetProperty("kubernetes.io", out var p) && p.ValueKind != JsonValueKind.Null ? Object(p, "kubernetes.io") : default;
            return new ServiceAccountClaims
            {
                Issuer = String(root, "iss"),
                Subject = String(root, "sub"),
                Audiences = Audience(root),
                Expiry = Number(root, "exp"),
                IssuedAt = Number(root, "iat"),
                NotBefore = Number(root, "nbf"),
                Id = String(root, "jti"),
                Namespace = k8s.ValueKind == JsonValueKind.Object ? String(k8s, "namespace") : string.Empty,
                ServiceAccount = k8s.ValueKind == JsonValueKind.Object ? Ref(k8s, "serviceaccount") ?? default : default,
                Pod = k8s.ValueKind == JsonValueKind.Object ? Ref(k8s, "pod") : null,
                Secret = k8s.ValueKind == JsonValueKind.Object ? Ref(k8s, "secret") : null,
                Node = k8s.ValueKind == JsonValueKind.Object ? Ref(k8s, "node") : null,
                WarnAfter = k8s.ValueKind == JsonValueKind.Object ? Number(k8s, "warnafter") : null,
            };
        }
        catch (JsonException)
        {
            throw new JwsException("the payload is not JSON");
        }
    }

    /// <summary>The issuer claim of an unverified payload, or null when it has none (or is not a JSON object).</summary>
    public static string? UnverifiedIssuer(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("iss", out var iss) && iss.ValueKind == JsonValueKind.String
                ? iss.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonElement Object(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object ? element : throw new JwsException($"claim {name} is not an object");

    private static string String(JsonElement parent, string name) =>
        !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? string.Empty
            : value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new JwsException($"claim {name} is not a string");

    // go-jose's NumericDate: a JSON number of seconds (a fraction is dropped).
    private static long? Number(JsonElement parent, string name) =>
        !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
            : value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds) && Math.Abs(seconds) < 1e15 ? (long)seconds
            : throw new JwsException($"claim {name} is not a number of seconds");

    // go-jose's Audience: one string or a list of strings.
    private static IReadOnlyList<string> Audience(JsonElement root)
    {
        if (!root.TryGetProperty("aud", out var aud) || aud.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        return aud.ValueKind switch
        {
            JsonValueKind.String => [aud.GetString()!],
            JsonValueKind.Array when aud.EnumerateArray().All(a => a.ValueKind == JsonValueKind.String) => [.. aud.EnumerateArray().Select(a => a.GetString()!)],
            _ => throw new JwsException("claim aud is not a string or a list of strings"),
        };
    }

    private static ObjectRef Ref(IKubernetesObject<V1ObjectMeta> obj) => new(obj.Metadata.Name ?? string.Empty, obj.Metadata.Uid ?? string.Empty);

    private static ObjectRef? Ref(JsonElement parent, string name) =>
        !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
            : new ObjectRef(String(Object(value, name), "name"), String(value, "uid"));

    private static void WriteString(Utf8JsonWriter w, string name, string value)
    {
        if (value.Length > 0)
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteNumber(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }

    private static void WriteRef(Utf8JsonWriter w, string name, ObjectRef? value)
    {
        if (value is not { } r)
        {
            return;
        }

        w.WriteStartObject(name);
        WriteString(w, "name", r.Name);
        WriteString(w, "uid", r.Uid);
        w.WriteEndObject();
    }
}
