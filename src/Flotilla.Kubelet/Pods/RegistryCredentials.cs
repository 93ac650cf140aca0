using System.Text;
using System.Text.Json;
using Flotilla.Kubelet.Runtime;
using k8s.Models;

namespace Flotilla.Kubelet.Pods;

/// <summary>
/// Which of a pod's <c>imagePullSecrets</c> apply to an image (upstream's credential provider keyring): each
/// <c>kubernetes.io/dockerconfigjson</c> or <c>kubernetes.io/dockercfg</c> secret's entries whose registry matches
/// the image's — the host (a leading <c>*.</c> matches one label), the port, and a path that prefixes the
/// image's repository; Docker Hub's names (<c>docker.io</c>, <c>index.docker.io</c>, <c>https://index.docker.io/v1/</c>)
/// for images without a registry. Most specific first.
/// </summary>
public static class RegistryCredentials
{
    public const string DockerConfigJson = "kubernetes.io/dockerconfigjson";
    public const string DockerCfg = "kubernetes.io/dockercfg";

    public static IReadOnlyList<RegistryAuth> For(string image, IEnumerable<V1Secret> secrets)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(secrets);
        var (registry, repository) = Split(image);
        var found = new List<(int Specificity, RegistryAuth Auth)>();
        foreach (var secret in secrets)
        {
            foreach (var (key, auth) in Entries(secret))
            {
                if (Matches(key, registry, repository) is { } specificity)
                {
                    found.Add((specificity, auth));
                }
            }
        }

        return [.. found.OrderByDescending(f => f.Specificity).Select(f => f.Auth)];
    }

    /// <summary>The registry host (with its port) and the repository path of an image reference.</summary>
    public static (string Registry, string Repository) Split(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var name = image;
        var digest = name.IndexOf('@', StringComparison.Ordinal);
        if (digest >= 0)
        {
            name = name[..digest];
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? string.Empty : name[..slash];
        var (registry, path) = first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost"
            ? (first, name[(slash + 1)..])
            : ("docker.io", slash < 0 ? "library/" + name : name);
        var tag = path.LastIndexOf(':');
        return (registry, tag >= 0 ? path[..tag] : path);
    }

    /// <summary>The specificity of a match (longer keys first), or null when the key is for elsewhere.</summary>
    private static int? Matches(string key, string registry, string repository)
    {
        var text = key.Contains("://", StringComparison.Ordinal) ? key[(key.IndexOf("://", StringComparison.Ordinal) + 3)..] : key;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var host = slash < 0 ? text : text[..slash];
        var path = slash < 0 ? string.Empty : text[(slash + 1)..].TrimEnd('/');
        if (registry == "docker.io" && host is "docker.io" or "index.docker.io" or "registry-1.docker.io")
        {
            // Docker Hub's legacy "/v1/" is no repository path.
            return path is "" or "v1" ? key.Length : repository.StartsWith(path, StringComparison.Ordinal) ? key.Length : null;
        }

        if (!HostMatches(host, registry))
        {
            return null;
        }

        return path.Length == 0 || repository == path || repository.StartsWith(path + "/", StringComparison.Ordinal) ? key.Length : null;
    }

    private static bool HostMatches(string pattern, string host)
    {
        static (string Name, string Port) Part(string h) => h.LastIndexOf(':') is var c and >= 0 ? (h[..c], h[(c + 1)..]) : (h, string.Empty);
        var (patternName, patternPort) = Part(pattern.ToLowerInvariant());
        var (hostName, hostPort) = Part(host.ToLowerInvariant());
        if (patternPort != hostPort)
        {
            return false;
        }

        var patternLabels = patternName.Split('.');
        var hostLabels = hostName.Split('.');
        return patternLabels.Length == hostLabels.Length
            && patternLabels.Zip(hostLabels).All(p => p.First == "*" || p.First == p.Second);
    }

    /// <summary>A pull secret's registries and logins; other secrets, and ones that do not parse, have none.</summary>
    private static IEnumerable<(string Registry, RegistryAuth Auth)> Entries(V1Secret secret)
    {
        JsonElement auths;
        JsonDocument doc;
        try
        {
            if (secret.Type == DockerConfigJson && secret.Data?.TryGetValue(".dockerconfigjson", out var json) == true)
            {
                doc = JsonDocument.Parse(json);
                if (!doc.RootElement.TryGetProperty("auths", out auths))
                {
                    yield break;
                }
            }
            else if (secret.Type == DockerCfg && secret.Data?.TryGetValue(".dockercfg", out var cfg) == true)
            {
                doc = JsonDocument.Parse(cfg);
                auths = doc.RootElement;
            }
            else
            {
                yield break;
            }
        }
        catch (JsonException)
        {
            yield break;
        }

        using (doc)
        {
            if (auths.ValueKind != JsonValueKind.Object)
            {
                yield break;
            }

            foreach (var entry in auths.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                string? Field(string name) => entry.Value.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                var (user, password) = (Field("username"), Field("password"));

                // "auth" is base64 of user:password, and wins over the separate fields (as docker's config reader).
                if (Field("auth") is { Length: > 0 } encoded)
                {
                    string decoded;
                    try
                    {
                        decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
                    }
                    catch (FormatException)
                    {
                        continue;
                    }

                    var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                    (user, password) = colon < 0 ? (decoded, string.Empty) : (decoded[..colon], decoded[(colon + 1)..]);
                }

                // No server address: containerd parses it as a URL (a bare host:port fails), and the match is made here.
                yield return (entry.Name, new RegistryAuth(user, password, Field("identitytoken"), Field("registrytoken")));
            }
        }
    }
}
