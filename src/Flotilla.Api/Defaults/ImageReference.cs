using System.Text.RegularExpressions;

namespace Flotilla.Api.Defaults;

/// <summary>
/// Reads the tag of a container image reference the way kube-apiserver does (pkg/util/parsers.ParseImageName over
/// distribution/reference's ParseNormalizedNamed), because the default pull policy hangs on it.
/// </summary>
public static partial class ImageReference
{
    public const string LatestTag = "latest";

    private const string DefaultDomain = "docker.io";
    private const string LegacyDefaultDomain = "index.docker.io";
    private const string OfficialRepoPrefix = "library/";
    private const int NameTotalLengthMax = 255;

    /// <summary>
    /// The tag; "latest" when the reference names neither tag nor digest; "" when it has only a digest; null when it
    /// does not parse (upstream ignores the parse error, so such an image is treated as tagged but not "latest").
    /// </summary>
    public static string? Tag(string? image)
    {
        if (string.IsNullOrEmpty(image) || HexIdentifier().IsMatch(image))
        {
            return null;
        }

        var (domain, remainder) = SplitDomain(image);
        var tagSeparator = remainder.IndexOf(':', StringComparison.Ordinal);
        var repository = tagSeparator < 0 ? remainder : remainder[..tagSeparator];
        if (!string.Equals(repository, repository.ToLowerInvariant(), StringComparison.Ordinal))
        {
            return null;
        }

        var match = Reference().Match(domain + "/" + remainder);
        if (!match.Success || match.Groups["name"].Length > NameTotalLengthMax)
        {
            return null;
        }

        var digest = match.Groups["digest"].Value;
        if (digest.Length > 0 && !IsSupportedDigest(digest))
        {
            return null;
        }

        var tag = match.Groups["tag"].Value;
        return tag.Length == 0 && digest.Length == 0 ? LatestTag : tag;
    }

    // As splitDockerDomain: the first path element is a registry only if it looks like a host.
    private static (string Domain, string Remainder) SplitDomain(string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        string domain;
        string remainder;
        if (slash < 0 || !LooksLikeHost(name[..slash]))
        {
            (domain, remainder) = (DefaultDomain, name);
        }
        else
        {
            (domain, remainder) = (name[..slash], name[(slash + 1)..]);
        }

        if (domain == LegacyDefaultDomain)
        {
            domain = DefaultDomain;
        }

        if (domain == DefaultDomain && !remainder.Contains('/', StringComparison.Ordinal))
        {
            remainder = OfficialRepoPrefix + remainder;
        }

        return (domain, remainder);
    }

    private static bool LooksLikeHost(string first) =>
        first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost" ||
        !string.Equals(first, first.ToLowerInvariant(), StringComparison.Ordinal);

    // go-digest accepts only the algorithms linked into the binary (sha256, sha384, sha512) with lowercase hex of their size.
    private static bool IsSupportedDigest(string digest)
    {
        var colon = digest.IndexOf(':', StringComparison.Ordinal);
        var hexLength = digest[..colon] switch
        {
            "sha256" => 64,
            "sha384" => 96,
            "sha512" => 128,
            _ => -1,
        };
        var encoded = digest[(colon + 1)..];
        return encoded.Length == hexLength && LowerHex().IsMatch(encoded);
    }

    [GeneratedRegex("^[a-f0-9]{64}$")]
    private static partial Regex HexIdentifier();

    [GeneratedRegex("^[a-f0-9]+$")]
    private static partial Regex LowerHex();

    // distribution/reference ReferenceRegexp: name [":" tag] ["@" digest].
    [GeneratedRegex(
        @"^(?<name>(?:(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?/)?" +
        @"[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)*)" +
        @"(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?" +
        @"(?:@(?<digest>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$")]
    private static partial Regex Reference();
}
