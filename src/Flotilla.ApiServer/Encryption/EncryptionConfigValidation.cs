using Flotilla.Api.Validation;

namespace Flotilla.ApiServer.Encryption;

/// <summary>
/// Upstream's ValidateEncryptionConfiguration (k8s.io/apiserver/pkg/apis/apiserver/validation) with its messages,
/// for the providers Flotilla implements; the others are refused as unsupported.
/// </summary>
public static class EncryptionConfigValidation
{
    private static readonly int[] AesKeySizes = [16, 24, 32];
    private static readonly string[] Supported = ["aesgcm", "identity"];

    public static IReadOnlyList<FieldError> Validate(EncryptionConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var errors = new List<FieldError>();
        if (config.Resources is not { Count: > 0 } resources)
        {
            errors.Add(FieldError.Required("resources", "at least one resources is required"));
            return errors;
        }

        for (var i = 0; i < resources.Count; i++)
        {
            var r = $"resources[{i}].resources";
            var p = $"resources[{i}].providers";
            // A null list element decodes as an empty one, as Go decodes it into a zero value.
            var entry = resources[i] ?? new ResourceConfiguration();
            var names = entry.Resources?.Select(n => n ?? string.Empty).ToList() ?? [];
            if (names.Count == 0)
            {
                errors.Add(FieldError.Required(r, $"at least one {r} is required"));
            }

            errors.AddRange(ValidateOverlap(names, r));
            errors.AddRange(ValidateNames(names, r));
            var providers = entry.Providers ?? [];
            if (providers.Count == 0)
            {
                errors.Add(FieldError.Required(p, $"at least one {p} is required"));
            }

            for (var j = 0; j < providers.Count; j++)
            {
                errors.AddRange(ValidateProvider(providers[j] ?? new ProviderConfiguration(), $"{p}[{j}]"));
            }
        }

        return errors;
    }

    /// <summary>schema.ParseGroupResource: the resource before the first dot, the group after it.</summary>
    public static (string Group, string Resource) ParseGroupResource(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? (string.Empty, name) : (name[(dot + 1)..], name[..dot]);
    }

    private static IEnumerable<FieldError> ValidateOverlap(IReadOnlyList<string> names, string path)
    {
        if (names.Count < 2)
        {
            yield break;
        }

        var parsed = names.Select(ParseGroupResource).ToList();
        bool duplicate = false, overlap = false;
        for (var i = 0; i < parsed.Count; i++)
        {
            for (var j = 0; j < parsed.Count; j++)
            {
                if (i == j)
                {
                    continue;
                }

                var (a, b) = (parsed[i], parsed[j]);
                duplicate |= a == b;
                overlap |= a != b && (a == ("*", "*") || (a.Group == b.Group && (a.Resource == "*" || b.Resource == "*")));
            }
        }

        var value = new GoStrings(names);
        if (duplicate)
        {
            yield return FieldError.Invalid(path, value, "the same resource cannot be specified multiple times");
        }

        if (overlap)
        {
            yield return FieldError.Invalid(path, value, "using overlapping resources such as 'secrets' and '*.' in the same resource list is not allowed as they will be masked");
        }
    }

    private static IEnumerable<FieldError> ValidateNames(IReadOnlyList<string> names, string path)
    {
        for (var j = 0; j < names.Count; j++)
        {
            var name = names[j];
            var (group, resource) = ParseGroupResource(name);
            var detail = name switch
            {
                _ when !name.Equals(name.ToLowerInvariant(), StringComparison.Ordinal) => "resource name should not contain capital letters",
                "*" => "use '*.' to encrypt all the resources from core API group or *.* to encrypt all resources",
                "apiserveripinfo" or "serviceipallocations" or "servicenodeportallocations" => "resources which do not have REST API/s cannot be encrypted",
                _ when group == "events.k8s.io" => "'*.events.k8s.io' objects are stored using the 'events' API group in etcd. Use 'events' instead in the config file",
                _ when group == "extensions" => "'extensions' group has been removed and cannot be used for encryption",
                _ when group == "*" && resource != "*" => "encrypting the same resource across groups is not supported",
                _ => null,
            };
            if (detail is not null)
            {
                yield return FieldError.Invalid($"{path}[{j}]", name, detail);
            }
        }
    }

    private static IEnumerable<FieldError> ValidateProvider(ProviderConfiguration provider, string path)
    {
        var named = new (string Name, bool Set)[]
        {
            ("aesgcm", provider.AesGcm is not null),
            ("aescbc", provider.AesCbc is not null),
            ("secretbox", provider.Secretbox is not null),
            ("kms", provider.Kms is not null),
            ("identity", provider.Identity is not null),
        }.Where(n => n.Set).Select(n => n.Name).ToList();
        switch (named.Count)
        {
            case 0:
                yield return FieldError.Invalid(path, null, "provider does not contain any of the expected providers: KMS, AESGCM, AESCBC, Secretbox, Identity");
                yield break;
            case > 1:
                yield return FieldError.Invalid(path, null, "more than one provider specified in a single element, should split into different list elements");
                yield break;
        }

        if (!Supported.Contains(named[0]))
        {
            yield return FieldError.NotSupported(path, named[0], Supported);
            yield break;
        }

        if (provider.AesGcm is { } aes)
        {
            foreach (var error in ValidateKeys(aes.Keys ?? [], $"{path}.aesgcm.keys"))
            {
                yield return error;
            }
        }
    }

    private static IEnumerable<FieldError> ValidateKeys(IReadOnlyList<KeyConfiguration> keys, string path)
    {
        if (keys.Count == 0)
        {
            yield return FieldError.Required(path, "at least one keys is required");
            yield break;
        }

        for (var i = 0; i < keys.Count; i++)
        {
            var key = $"{path}[{i}]";
            if (keys[i] is null)
            {
                yield return FieldError.Required($"{key}.name", "name is a mandatory field for a key");
                yield return FieldError.Required($"{key}.secret", "secret is a mandatory field for a key");
                continue;
            }

            if (string.IsNullOrEmpty(keys[i].Name))
            {
                yield return FieldError.Required($"{key}.name", "name is a mandatory field for a key");
            }

            if (string.IsNullOrEmpty(keys[i].Secret))
            {
                yield return FieldError.Required($"{key}.secret", "secret is a mandatory field for a key");
                continue;
            }

            var secret = DecodeSecret(keys[i].Secret!);
            if (secret is null)
            {
                yield return FieldError.Invalid($"{key}.secret", "REDACTED", "secrets must be base64 encoded");
            }
            else if (!AesKeySizes.Contains(secret.Length))
            {
                yield return FieldError.Invalid($"{key}.secret", "REDACTED", $"secret is not of the expected length, got {secret.Length}, expected one of [16 24 32]");
            }
        }
    }

    /// <summary>Go's base64.StdEncoding: padded, no whitespace; null when it does not decode.</summary>
    internal static byte[]? DecodeSecret(string secret)
    {
        if (secret.Any(char.IsWhiteSpace))
        {
            return null;
        }

        var bytes = new byte[secret.Length];
        return Convert.TryFromBase64String(secret, bytes, out var written) ? bytes[..written] : null;
    }

    /// <summary>A string list as Go's %#v prints it in a field error: <c>[]string{"secrets", "*."}</c>.</summary>
    private sealed record GoStrings(IReadOnlyList<string> Values)
    {
        public override string ToString() => "[]string{" + string.Join(", ", Values.Select(GoFormat.Quote)) + "}";
    }
}
