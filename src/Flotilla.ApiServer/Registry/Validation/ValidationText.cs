using System.Globalization;

namespace Flotilla.ApiServer.Registry.Validation;

/// <summary>Message fragments shared by upstream's validators, worded exactly as upstream.</summary>
public static class ValidationText
{
    public const string IsNegative = "must be greater than or equal to 0";

    public const string FieldImmutable = "field is immutable";

    public const string NotPositive = "must be greater than zero";

    public const string SelectorMismatch = "`selector` does not match template `labels`";

    public static string InclusiveRange(long low, long high) =>
        string.Create(CultureInfo.InvariantCulture, $"must be between {low} and {high}, inclusive");
}
