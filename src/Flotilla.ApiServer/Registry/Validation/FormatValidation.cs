using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Flotilla.Api.Validation;

namespace Flotilla.ApiServer.Registry.Validation;

/// <summary>
/// The string format checks of upstream's k8s.io/apimachinery/pkg/util/validation that the name checks in
/// <see cref="NameValidation"/> do not cover: each returns upstream's messages, empty when the value is valid.
/// </summary>
public static partial class FormatValidation
{
    private const string PortNameCharsetMessage = "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)";
    private const string ConfigMapKeyFormat = "[-._a-zA-Z0-9]+";
    private const string PercentFormat = "[0-9]+%";
    private const string HttpHeaderNameFormat = "[-A-Za-z0-9]+";
    private const string WildcardSubdomainFormat = @"\*\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
    private const string HttpPathFormat = @"[A-Za-z0-9/\-._~%!$&'()*+,;=:]+";

    public static IReadOnlyList<string> IsValidPortNum(long port) =>
        port is >= 1 and <= 65535 ? [] : [ValidationText.InclusiveRange(1, 65535)];

    /// <summary>An IANA_SVC_NAME: at most 15 characters, a-z, 0-9 and '-', at least one letter, no '--', no '-' at either end.</summary>
    public static IReadOnlyList<string> IsValidPortName(string port)
    {
        var errors = new List<string>();
        if (port.Length > 15)
        {
            errors.Add(ValidationMessages.MaxLength(15));
        }

        if (!PortNameCharsetRegex().IsMatch(port))
        {
            errors.Add(PortNameCharsetMessage);
        }

        if (!port.Any(c => c is >= 'a' and <= 'z'))
        {
            errors.Add("must contain at least one letter (a-z)");
        }

        if (port.Contains("--", StringComparison.Ordinal))
        {
            errors.Add("must not contain consecutive hyphens");
        }

        if (port.Length > 0 && (port[0] == '-' || port[^1] == '-'))
        {
            errors.Add("must not begin or end with a hyphen");
        }

        return errors;
    }

    /// <summary>
    /// Environment variable names under RelaxedEnvironmentVariableValidation (beta, on by default in v1.32): any
    /// printable ASCII character but '='.
    /// </summary>
    public static IReadOnlyList<string> IsRelaxedEnvVarName(string value)
    {
        var errors = new List<string>();
        if (value.Length == 0)
        {
            errors.Add("environment variable name " + ValidationMessages.Empty());
        }

        if (value.Any(c => c is < ' ' or > '~' or '='))
        {
            errors.Add("a valid environment variable name must consist only of printable ASCII characters other than '='");
        }

        return errors;
    }

    public static IReadOnlyList<string> IsConfigMapKey(string value)
    {
        var errors = new List<string>();
        if (Encoding.UTF8.GetByteCount(value) > NameValidation.Dns1123SubdomainMaxLength)
        {
            errors.Add(ValidationMessages.MaxLength(NameValidation.Dns1123SubdomainMaxLength));
        }

        if (!ConfigMapKeyRegex().IsMatch(value))
        {
            errors.Add(ValidationMessages.Regex(
                "a valid config key must consist of alphanumeric characters, '-', '_' or '.'", ConfigMapKeyFormat, "key.name", "KEY_NAME", "key-name"));
        }

        errors.AddRange(HasChDirPrefix(value));
        return errors;
    }

    public static IReadOnlyList<string> IsValidPercent(string percent) =>
        PercentRegex().IsMatch(percent)
            ? []
            : [ValidationMessages.Regex("a valid percent string must be a numeric string followed by an ending '%'", PercentFormat, "1%", "93%")];

    public static IReadOnlyList<string> IsHttpHeaderName(string value) =>
        HttpHeaderNameRegex().IsMatch(value)
            ? []
            : [ValidationMessages.Regex("a valid HTTP header must consist of alphanumeric characters or '-'", HttpHeaderNameFormat, "X-Header-Name")];

    public static IReadOnlyList<string> IsValidUserOrGroupId(long id) =>
        id is >= 0 and <= int.MaxValue ? [] : [ValidationText.InclusiveRange(0, int.MaxValue)];

    public static IReadOnlyList<string> IsWildcardDns1123Subdomain(string value)
    {
        var errors = new List<string>();
        if (Encoding.UTF8.GetByteCount(value) > NameValidation.Dns1123SubdomainMaxLength)
        {
            errors.Add(ValidationMessages.MaxLength(NameValidation.Dns1123SubdomainMaxLength));
        }

        if (!WildcardSubdomainRegex().IsMatch(value))
        {
            errors.Add(ValidationMessages.Regex(
                "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character",
                WildcardSubdomainFormat,
                "*.example.com"));
        }

        return errors;
    }

    /// <summary>Upstream IsDomainPrefixedPath: <c>acme.io/foo</c>, as IngressClass controllers are written.</summary>
    public static List<FieldError> IsDomainPrefixedPath(FieldPath path, string value)
    {
        if (value.Length == 0)
        {
            return [FieldError.Required(path)];
        }

        var segments = value.Split('/', 2);
        if (segments.Length != 2 || segments[0].Length == 0 || segments[1].Length == 0)
        {
            return [FieldError.Invalid(path, value, "must be a domain-prefixed path (such as \"acme.io/foo\")")];
        }

        var errors = NameValidation.IsDns1123Subdomain(segments[0]).Select(m => FieldError.Invalid(path, segments[0], m)).ToList();
        if (!HttpPathRegex().IsMatch(segments[1]))
        {
            errors.Add(FieldError.Invalid(path, segments[1], ValidationMessages.Regex("Invalid path", HttpPathFormat)));
        }

        return errors;
    }

    /// <summary>An IP address as upstream's ParseIPSloppy reads it (dotted-quad IPv4 with leading zeros allowed, or IPv6 without a zone).</summary>
    public static bool TryParseIp(string value, out IPAddress address)
    {
        address = IPAddress.None;
        if (value.Contains(':', StringComparison.Ordinal))
        {
            if (value.Contains('%', StringComparison.Ordinal) || value.Contains('[', StringComparison.Ordinal) ||
                !IPAddress.TryParse(value, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            address = v6;
            return true;
        }

        var parts = value.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            if (parts[i].Length is 0 or > 3 || !parts[i].All(char.IsAsciiDigit) ||
                !byte.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return false;
            }
        }

        address = new IPAddress(bytes);
        return true;
    }

    public static bool TryParseCidr(string value, out IPAddress address, out int prefix)
    {
        prefix = 0;
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !TryParseIp(value[..slash], out address))
        {
            address = IPAddress.None;
            return false;
        }

        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var text = value[(slash + 1)..];
        return text.Length is > 0 and <= 3 && text.All(char.IsAsciiDigit) &&
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) && prefix <= bits;
    }

    public static List<FieldError> IsValidIp(FieldPath path, string value) =>
        TryParseIp(value, out _) ? [] : [FieldError.Invalid(path, value, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")];

    public static List<FieldError> IsValidCidr(FieldPath path, string value) =>
        TryParseCidr(value, out _, out _) ? [] : [FieldError.Invalid(path, value, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)")];

    private static IEnumerable<string> HasChDirPrefix(string value) => value switch
    {
        "." => ["must not be '.'"],
        ".." => ["must not be '..'"],
        _ when value.StartsWith("..", StringComparison.Ordinal) => ["must not start with '..'"],
        _ => [],
    };

    // \z, not $: .NET's $ also matches before a final newline, Go's does not.
    [GeneratedRegex(@"^[-a-z0-9]+\z")]
    private static partial Regex PortNameCharsetRegex();

    [GeneratedRegex("^" + ConfigMapKeyFormat + @"\z")]
    private static partial Regex ConfigMapKeyRegex();

    [GeneratedRegex("^" + PercentFormat + @"\z")]
    private static partial Regex PercentRegex();

    [GeneratedRegex("^" + HttpHeaderNameFormat + @"\z")]
    private static partial Regex HttpHeaderNameRegex();

    [GeneratedRegex("^" + WildcardSubdomainFormat + @"\z")]
    private static partial Regex WildcardSubdomainRegex();

    [GeneratedRegex("^" + HttpPathFormat + @"\z")]
    private static partial Regex HttpPathRegex();
}
