namespace Flotilla.Scheduler.Plugins.ImageLocality;

/// <summary>
/// Image references in the forms a pod and a node may spell them: <c>busybox</c>, <c>busybox:latest</c> and
/// <c>docker.io/library/busybox:latest</c> name the same image. Upstream only adds the <c>:latest</c> tag and
/// misses the Docker Hub forms (a gap its source notes); containerd reports the canonical form, pods usually the short one.
/// </summary>
public static class ImageNames
{
    private const string DockerHub = "docker.io";
    private const string OfficialRepository = "library/";

    /// <summary>The canonical reference: registry, repository and tag (<c>:latest</c> unless tagged or pinned by digest).</summary>
    public static string Normalize(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (domain, path, tag, digest) = Split(image);
        if (domain is null)
        {
            domain = DockerHub;
            if (!path.Contains('/', StringComparison.Ordinal))
            {
                path = OfficialRepository + path;
            }
        }

        return $"{domain}/{path}{Suffix(tag, digest)}";
    }

    /// <summary>The names under which a node may list <paramref name="image"/>: canonical, Docker's short form, and as written (upstream's normalisation).</summary>
    public static IReadOnlyList<string> Candidates(string image)
    {
        var canonical = Normalize(image);
        var (domain, path, tag, digest) = Split(canonical);
        var familiar = domain == DockerHub
            ? (path.StartsWith(OfficialRepository, StringComparison.Ordinal) && path.IndexOf('/', OfficialRepository.Length) < 0 ? path[OfficialRepository.Length..] : path) + Suffix(tag, digest)
            : canonical;
        var asWritten = image.LastIndexOf(':') <= image.LastIndexOf('/') ? image + ":latest" : image;
        return [.. new[] { canonical, familiar, asWritten }.Distinct(StringComparer.Ordinal)];
    }

    private static string Suffix(string? tag, string? digest) =>
        (tag, digest) switch
        {
            (null, null) => ":latest",
            _ => (tag is null ? string.Empty : ":" + tag) + (digest is null ? string.Empty : "@" + digest),
        };

    // Docker's reference grammar: the first path component is a registry when it has a '.' or ':' or is localhost.
    private static (string? Domain, string Path, string? Tag, string? Digest) Split(string image)
    {
        string? digest = null;
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = image[(at + 1)..];
            image = image[..at];
        }

        string? tag = null;
        var colon = image.LastIndexOf(':');
        if (colon > image.LastIndexOf('/'))
        {
            tag = image[(colon + 1)..];
            image = image[..colon];
        }

        string? domain = null;
        var slash = image.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var first = image[..slash];
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
            {
                domain = first == "index.docker.io" ? DockerHub : first;
                image = image[(slash + 1)..];
            }
        }

        return (domain, image, tag, digest);
    }
}
