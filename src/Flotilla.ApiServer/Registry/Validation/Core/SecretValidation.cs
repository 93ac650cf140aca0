using System.Text;
using System.Text.Json;
using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Core;

/// <summary>Upstream ValidateSecret and ValidateSecretUpdate, with the keys each built-in secret type requires.</summary>
public static class SecretValidation
{
    private const string ServiceAccountNameAnnotation = "kubernetes.io/service-account.name";

    public static List<FieldError> Validate(V1Secret secret)
    {
        var errors = new List<FieldError>();
        var data = Data(secret);
        var dataPath = FieldPath.Root("data");
        long total = 0;
        foreach (var (key, value) in data.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            errors.AddRange(FormatValidation.IsConfigMapKey(key).Select(m => FieldError.Invalid(dataPath.Key(key), key, m)));
            total += value.Length;
        }

        if (total > ConfigMapValidation.MaxSize)
        {
            errors.Add(FieldError.TooLong(dataPath, ConfigMapValidation.MaxSize));
        }

        switch (Type(secret))
        {
            case "kubernetes.io/service-account-token":
                if (secret.Metadata?.Annotations is not { } annotations || string.IsNullOrEmpty(annotations.TryGetValue(ServiceAccountNameAnnotation, out var account) ? account : null))
                {
                    errors.Add(FieldError.Required(FieldPath.Root("metadata").Child("annotations").Key(ServiceAccountNameAnnotation)));
                }

                break;
            case "kubernetes.io/dockercfg":
                errors.AddRange(DockerConfig(data, ".dockercfg", dataPath));
                break;
            case "kubernetes.io/dockerconfigjson":
                errors.AddRange(DockerConfig(data, ".dockerconfigjson", dataPath));
                break;
            case "kubernetes.io/basic-auth":
                // Either may be empty, but one must be present.
                if (!data.ContainsKey("username") && !data.ContainsKey("password"))
                {
                    errors.Add(FieldError.Required(dataPath.Key("username")));
                    errors.Add(FieldError.Required(dataPath.Key("password")));
                }

                break;
            case "kubernetes.io/ssh-auth":
                if (data.GetValueOrDefault("ssh-privatekey") is not { Length: > 0 })
                {
                    errors.Add(FieldError.Required(dataPath.Key("ssh-privatekey")));
                }

                break;
            case "kubernetes.io/tls":
                foreach (var key in (string[])["tls.crt", "tls.key"])
                {
                    if (!data.ContainsKey(key))
                    {
                        errors.Add(FieldError.Required(dataPath.Key(key)));
                    }
                }

                break;
        }

        return errors;
    }

    public static List<FieldError> ValidateUpdate(V1Secret secret, V1Secret old)
    {
        var errors = new List<FieldError>();
        if (Type(secret) != Type(old))
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("type"), Type(secret), ValidationText.FieldImmutable));
        }

        if (old.Immutable == true)
        {
            if (secret.Immutable != true)
            {
                errors.Add(FieldError.Forbidden(FieldPath.Root("immutable"), ConfigMapValidation.ImmutableDetail));
            }

            if (!ModelJson.SemanticEqual(Data(secret), Data(old)))
            {
                errors.Add(FieldError.Forbidden(FieldPath.Root("data"), ConfigMapValidation.ImmutableDetail));
            }
        }

        errors.AddRange(Validate(secret));
        return errors;
    }

    /// <summary>The type a secret has once defaulted (an empty one is Opaque).</summary>
    public static string Type(V1Secret secret) => string.IsNullOrEmpty(secret.Type) ? "Opaque" : secret.Type;

    // Upstream validates after stringData has been merged into data (stringData wins), so this does the same.
    private static Dictionary<string, byte[]> Data(V1Secret secret)
    {
        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, value) in secret.Data ?? new Dictionary<string, byte[]>())
        {
            data[key] = value ?? [];
        }

        foreach (var (key, value) in secret.StringData ?? new Dictionary<string, string>())
        {
            data[key] = Encoding.UTF8.GetBytes(value ?? string.Empty);
        }

        return data;
    }

    private static IEnumerable<FieldError> DockerConfig(Dictionary<string, byte[]> data, string key, FieldPath dataPath)
    {
        if (!data.TryGetValue(key, out var value))
        {
            return [FieldError.Required(dataPath.Key(key))];
        }

        return JsonObjectError(value) is { } error ? [FieldError.Invalid(dataPath.Key(key), "<secret contents redacted>", error)] : [];
    }

    // The messages of Go's json.Unmarshal into a map for the common failures.
    private static string? JsonObjectError(byte[] value)
    {
        if (value.Length == 0)
        {
            return "unexpected end of JSON input";
        }

        try
        {
            using var document = JsonDocument.Parse(value);
            return document.RootElement.ValueKind switch
            {
                JsonValueKind.Object or JsonValueKind.Null => null,
                var kind => $"json: cannot unmarshal {GoJsonKind(kind)} into Go value of type map[string]interface {{}}",
            };
        }
        catch (JsonException)
        {
            return "invalid character looking for beginning of value";
        }
    }

    private static string GoJsonKind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        _ => "bool",
    };
}
