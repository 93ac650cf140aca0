using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Flotilla.Api.Errors;
using Flotilla.Api.Resources;
using Flotilla.Api.Validation;
using Flotilla.ApiServer.Http;
using Flotilla.Storage.Encryption;

namespace Flotilla.ApiServer.Encryption;

/// <summary>
/// The encryption configuration file: read and checked as kube-apiserver reads <c>--encryption-provider-config</c>
/// (YAML or JSON, strict fields), or made at first start with one fresh AES-256 key for <c>secrets</c>.
/// </summary>
public static class EncryptionConfigFile
{
    private static readonly JsonSerializerOptions Strict = new() { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow };

    /// <summary>Loads <paramref name="path"/>, first writing a new configuration (mode 0600) when there is none.</summary>
    public static ResourceTransformers LoadOrCreate(string path, ResourceCatalog catalog)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            Create(path);
        }

        return Load(path, catalog);
    }

    public static ResourceTransformers Load(string path, ResourceCatalog catalog)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EncryptionConfigException($"error opening encryption provider configuration file \"{path}\": {e.Message}", e);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw new EncryptionConfigException($"encryption provider configuration file \"{path}\" is empty");
        }

        try
        {
            return EncryptionTransformers.Build(Parse(text), catalog);
        }
        catch (EncryptionConfigException e)
        {
            throw new EncryptionConfigException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Parses and validates; failures read as upstream's (<c>error while parsing file: ...</c>).</summary>
    public static EncryptionConfiguration Parse(string text)
    {
        EncryptionConfiguration? config;
        try
        {
            config = JsonSerializer.Deserialize<EncryptionConfiguration>(YamlToJson.Convert(text), Strict);
        }
        catch (JsonException e) when (e.Path is { } path && e.Message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            throw new EncryptionConfigException($"error while parsing file: strict decoding error: unknown field \"{path.TrimStart('$', '.')}\"", e);
        }
        catch (Exception e) when (e is StatusException or JsonException)
        {
            throw new EncryptionConfigException($"error while parsing file: {e.Message}", e);
        }

        if (config is null || config.ApiVersion != EncryptionConfiguration.V1 || config.Kind != EncryptionConfiguration.KindName)
        {
            throw new EncryptionConfigException(
                $"error while parsing file: expected apiVersion \"{EncryptionConfiguration.V1}\" and kind \"{EncryptionConfiguration.KindName}\", got \"{config?.ApiVersion}\" and \"{config?.Kind}\"");
        }

        var errors = EncryptionConfigValidation.Validate(config);
        return errors.Count == 0 ? config : throw new EncryptionConfigException($"error while parsing file: {ErrorAggregate.Message(errors)}");
    }

    /// <summary>A configuration encrypting secrets with a new random 32-byte key; <c>identity</c> reads what predates it.</summary>
    internal static string Render(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return $$"""
        # Encryption at rest (kube-apiserver's EncryptionConfiguration). The first provider's first key encrypts; every
        # listed key decrypts. To rotate: add a new key first, restart, rewrite every secret, then remove the old key.
        # Losing this file loses every secret it encrypted: back it up, and give every API server of an etcd cluster the same one.
        apiVersion: {{EncryptionConfiguration.V1}}
        kind: {{EncryptionConfiguration.KindName}}
        resources:
          - resources:
              - secrets
            providers:
              - aesgcm:
                  keys:
                    - name: key1
                      secret: {{Convert.ToBase64String(key)}}
              - identity: {}

        """;
    }

    private static void Create(string path)
    {
        var temp = path + ".tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.Delete(temp);
            // Created 0600, never readable by others even for a moment; on disk before it is used to encrypt anything.
            using (var file = new FileStream(temp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
            {
                file.Write(Encoding.UTF8.GetBytes(Render(RandomNumberGenerator.GetBytes(32))));
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EncryptionConfigException($"cannot write encryption provider configuration file \"{path}\": {e.Message}", e);
        }
    }
}
