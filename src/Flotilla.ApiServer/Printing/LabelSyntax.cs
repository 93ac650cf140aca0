using System.Text.RegularExpressions;

namespace Flotilla.ApiServer.Printing;

/// <summary>The label key and value rules a selector requirement must pass (apimachinery validation).</summary>
internal static partial class LabelSyntax
{
    /// <summary>A qualified name: an optional DNS-subdomain prefix and "/", then a name of at most 63 characters.</summary>
    public static bool IsQualifiedName(string key)
    {
        var parts = key.Split('/');
        var name = parts[^1];
        return parts.Length switch
        {
            1 => IsName(name),
            2 => IsDnsSubdomain(parts[0]) && IsName(name),
            _ => false,
        };
    }

    /// <summary>Empty, or at most 63 alphanumerics, '-', '_' and '.', starting and ending alphanumeric.</summary>
    public static bool IsLabelValue(string value) => value.Length == 0 || IsName(value);

    private static bool IsName(string name) => name.Length is > 0 and <= 63 && NamePattern().IsMatch(name);

    private static bool IsDnsSubdomain(string prefix) => prefix.Length is > 0 and <= 253 && SubdomainPattern().IsMatch(prefix);

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex SubdomainPattern();
}
