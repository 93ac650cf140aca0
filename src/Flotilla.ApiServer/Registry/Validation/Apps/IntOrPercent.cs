using System.Globalization;
using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Apps;

/// <summary>Upstream's int-or-percent checks for rollout limits (ValidatePositiveIntOrPercent, IsNotMoreThan100Percent).</summary>
public static class IntOrPercent
{
    public static IEnumerable<FieldError> NonNegative(IntOrString? value, FieldPath path)
    {
        var text = value?.Value ?? "0";
        if (IsInt(text, out var number))
        {
            return FieldChecks.NonNegative(number, path);
        }

        return FormatValidation.IsValidPercent(text).Select(m => FieldError.Invalid(path, GoSyntax.IntOrString(value), m));
    }

    public static IEnumerable<FieldError> NotMoreThan100Percent(IntOrString? value, FieldPath path) =>
        Percent(value) is > 100 ? [FieldError.Invalid(path, GoSyntax.IntOrString(value), "must not be greater than 100%")] : [];

    /// <summary>The number, or the percentage for a valid percent string (upstream getIntOrPercentValue).</summary>
    public static long Value(IntOrString? value)
    {
        var text = value?.Value ?? "0";
        return Percent(value) ?? (IsInt(text, out var number) ? number : 0);
    }

    private static long? Percent(IntOrString? value)
    {
        var text = value?.Value;
        if (text is null || IsInt(text, out _) || FormatValidation.IsValidPercent(text).Count > 0)
        {
            return null;
        }

        return long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var percent) ? percent : long.MaxValue;
    }

    // The client library keeps IntOrString as text: a number is the int form.
    private static bool IsInt(string text, out long number) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number);
}
