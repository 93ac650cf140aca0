using System.Text.RegularExpressions;

namespace Flotilla.ApiServer.Registry;

/// <summary>Name validators of upstream's apimachinery (path segment names).</summary>
public static partial class NameRules
{
    private const string Dns1123SubdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    private const string Dns1123LabelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    public static IReadOnlyList<string> Dns1123Subdomain(string name, bool prefix)
    {
        var candidate = prefix ? MaskTrailingDash(name) : name;
        var errors = new List<string>();
        if (candidate.Length > 253)
        {
            errors.Add("must be no more than 253 characters");
        }

        if (!SubdomainRegex().IsMatch(candidate))
        {
            errors.Add(Dns1123SubdomainMessage);
        }

        return errors;
    }

    public static IReadOnlyList<string> Dns1123Label(string name, bool prefix)
    {
        var candidate = prefix ? MaskTrailingDash(name) : name;
        var errors = new List<string>();
        if (candidate.Length > 63)
        {
            errors.Add("must be no more than 63 characters");
        }

        if (!LabelRegex().IsMatch(candidate))
        {
            errors.Add(Dns1123LabelMessage);
        }

        return errors;
    }

    public static IReadOnlyList<string> Dns1035Label(string name, bool prefix)
    {
        var candidate = prefix ? MaskTrailingDash(name) : name;
        var errors = new List<string>();
        if (candidate.Length > 63)
        {
            errors.Add("must be no more than 63 characters");
        }

        if (!Dns1035Regex().IsMatch(candidate))
        {
            errors.Add("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
        }

        return errors;
    }

    /// <summary>Path segment rules every name obeys (upstream's IsValidPathSegmentName).</summary>
    public static IReadOnlyList<string> PathSegment(string name)
    {
        if (name is "." or "..")
        {
            return [$"may not be '{name}'"];
        }

        foreach (var bad in new[] { "/", "%" })
        {
            if (name.Contains(bad, StringComparison.Ordinal))
            {
                return [$"may not contain '{bad}'"];
            }
        }

        return [];
    }

    // generateName may end in '-': validate it as if it ended in an alphanumeric (upstream's maskTrailingDash).
    private static string MaskTrailingDash(string name) => name.Length > 1 && name.EndsWith('-') ? name[..^2] + "a" : name;

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex SubdomainRegex();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035Regex();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex LabelRegex();
}
