using System.Text;
using System.Text.RegularExpressions;

namespace Flotilla.Api.Validation;

/// <summary>
/// The name and label checks of k8s.io/apimachinery/pkg/util/validation (v1.32): each returns upstream's
/// messages for what is wrong, or an empty list when the value is valid. Lengths are UTF-8 bytes, as Go's len.
/// </summary>
public static partial class NameValidation
{
    public const int Dns1123LabelMaxLength = 63;
    public const int Dns1123SubdomainMaxLength = 253;
    public const int Dns1035LabelMaxLength = 63;
    public const int QualifiedNameMaxLength = 63;
    public const int LabelValueMaxLength = 63;

    private const string Dns1123LabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private const string Dns1123LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";

    private const string Dns1123SubdomainFormat = Dns1123LabelFormat + @"(\." + Dns1123LabelFormat + ")*";
    private const string Dns1123SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

    private const string Dns1035LabelFormat = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private const string Dns1035LabelMessage =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";

    private const string QualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private const string QualifiedNameMessage =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

    private const string LabelValueFormat = "(" + QualifiedNameFormat + ")?";
    private const string LabelValueMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

    public static IReadOnlyList<string> IsDns1123Label(string value)
    {
        var errors = new List<string>();
        if (ByteLength(value) > Dns1123LabelMaxLength)
        {
            errors.Add(ValidationMessages.MaxLength(Dns1123LabelMaxLength));
        }

        if (!Dns1123LabelRegex().IsMatch(value))
        {
            // A valid subdomain that is not a label can only be failing on its dots (length was checked above).
            errors.Add(Dns1123SubdomainRegex().IsMatch(value)
                ? "must not contain dots"
                : ValidationMessages.Regex(Dns1123LabelMessage, Dns1123LabelFormat, "my-name", "123-abc"));
        }

        return errors;
    }

    public static IReadOnlyList<string> IsDns1123Subdomain(string value)
    {
        var errors = new List<string>();
        if (ByteLength(value) > Dns1123SubdomainMaxLength)
        {
            errors.Add(ValidationMessages.MaxLength(Dns1123SubdomainMaxLength));
        }

        if (!Dns1123SubdomainRegex().IsMatch(value))
        {
            errors.Add(ValidationMessages.Regex(Dns1123SubdomainMessage, Dns1123SubdomainFormat, "example.com"));
        }

        return errors;
    }

    public static IReadOnlyList<string> IsDns1035Label(string value)
    {
        var errors = new List<string>();
        if (ByteLength(value) > Dns1035LabelMaxLength)
        {
            errors.Add(ValidationMessages.MaxLength(Dns1035LabelMaxLength));
        }

        if (!Dns1035LabelRegex().IsMatch(value))
        {
            errors.Add(ValidationMessages.Regex(Dns1035LabelMessage, Dns1035LabelFormat, "my-name", "abc-123"));
        }

        return errors;
    }

    /// <summary>A label or annotation key: <c>[prefix/]name</c>, the prefix a DNS subdomain, the name at most 63 characters.</summary>
    public static IReadOnlyList<string> IsQualifiedName(string value)
    {
        var errors = new List<string>();
        var parts = value.Split('/');
        string name;
        switch (parts.Length)
        {
            case 1:
                name = parts[0];
                break;
            case 2:
                name = parts[1];
                if (parts[0].Length == 0)
                {
                    errors.Add("prefix part " + ValidationMessages.Empty());
                }
                else
                {
                    errors.AddRange(IsDns1123Subdomain(parts[0]).Select(m => "prefix part " + m));
                }

                break;
            default:
                errors.Add("a qualified name " + QualifiedNameRegexMessage() +
                    " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
                return errors;
        }

        if (name.Length == 0)
        {
            errors.Add("name part " + ValidationMessages.Empty());
        }
        else if (ByteLength(name) > QualifiedNameMaxLength)
        {
            errors.Add("name part " + ValidationMessages.MaxLength(QualifiedNameMaxLength));
        }

        if (!QualifiedNameRegex().IsMatch(name))
        {
            errors.Add("name part " + QualifiedNameRegexMessage());
        }

        return errors;
    }

    public static IReadOnlyList<string> IsValidLabelValue(string value)
    {
        var errors = new List<string>();
        if (ByteLength(value) > LabelValueMaxLength)
        {
            errors.Add(ValidationMessages.MaxLength(LabelValueMaxLength));
        }

        if (!LabelValueRegex().IsMatch(value))
        {
            errors.Add(ValidationMessages.Regex(LabelValueMessage, LabelValueFormat, "MyValue", "my_value", "12345"));
        }

        return errors;
    }

    /// <summary>The name of an object that is only used as one URL path segment (upstream path.IsValidPathSegmentName).</summary>
    public static IReadOnlyList<string> IsValidPathSegmentName(string value)
    {
        if (value is "." or "..")
        {
            return [$"may not be '{value}'"];
        }

        return IsValidPathSegmentPrefix(value);
    }

    public static IReadOnlyList<string> IsValidPathSegmentPrefix(string value)
    {
        var errors = new List<string>();
        foreach (var illegal in (string[])["/", "%"])
        {
            if (value.Contains(illegal, StringComparison.Ordinal))
            {
                errors.Add($"may not contain '{illegal}'");
            }
        }

        return errors;
    }

    /// <summary>Upstream NameIsDNSSubdomain: most kinds' names.</summary>
    public static IReadOnlyList<string> NameIsDnsSubdomain(string name, bool prefix) =>
        IsDns1123Subdomain(prefix ? MaskTrailingDash(name) : name);

    /// <summary>Upstream NameIsDNSLabel: namespaces and other names that become a DNS label.</summary>
    public static IReadOnlyList<string> NameIsDnsLabel(string name, bool prefix) =>
        IsDns1123Label(prefix ? MaskTrailingDash(name) : name);

    /// <summary>Upstream NameIsDNS1035Label: services.</summary>
    public static IReadOnlyList<string> NameIsDns1035Label(string name, bool prefix) =>
        IsDns1035Label(prefix ? MaskTrailingDash(name) : name);

    /// <summary>Upstream path.ValidatePathSegmentName: RBAC objects and others only constrained by their URL.</summary>
    public static IReadOnlyList<string> NameIsPathSegment(string name, bool prefix) =>
        prefix ? IsValidPathSegmentPrefix(name) : IsValidPathSegmentName(name);

    // As upstream's maskTrailingDash, which replaces the last two characters (not one) with "a": the checked
    // value is one shorter than the prefix, and that decides the length limit.
    private static string MaskTrailingDash(string name) =>
        name.Length > 1 && name.EndsWith('-') ? name[..^2] + "a" : name;

    private static string QualifiedNameRegexMessage() =>
        ValidationMessages.Regex(QualifiedNameMessage, QualifiedNameFormat, "MyName", "my.name", "123-abc");

    private static int ByteLength(string value) => Encoding.UTF8.GetByteCount(value);

    // \z, not $: .NET's $ also matches before a final newline, Go's does not.
    [GeneratedRegex("^" + Dns1123LabelFormat + @"\z")]
    private static partial Regex Dns1123LabelRegex();

    [GeneratedRegex("^" + Dns1123SubdomainFormat + @"\z")]
    private static partial Regex Dns1123SubdomainRegex();

    [GeneratedRegex("^" + Dns1035LabelFormat + @"\z")]
    private static partial Regex Dns1035LabelRegex();

    [GeneratedRegex("^" + QualifiedNameFormat + @"\z")]
    private static partial Regex QualifiedNameRegex();

    [GeneratedRegex("^" + LabelValueFormat + @"\z")]
    private static partial Regex LabelValueRegex();
}
