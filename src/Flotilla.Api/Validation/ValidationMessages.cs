using System.Text;

namespace Flotilla.Api.Validation;

/// <summary>The message fragments upstream's util/validation builds its errors from, worded exactly as upstream.</summary>
public static class ValidationMessages
{
    public static string MaxLength(int length) => $"must be no more than {length} characters";

    public static string Empty() => "must be non-empty";

    /// <summary>
    /// <c>msg (e.g. 'a',  or 'b', regex used for validation is 'fmt')</c>: the doubled space after each example's
    /// comma is upstream's and kubectl users see it, so it is kept.
    /// </summary>
    public static string Regex(string message, string format, params string[] examples)
    {
        if (examples.Length == 0)
        {
            return $"{message} (regex used for validation is '{format}')";
        }

        var text = new StringBuilder(message).Append(" (e.g. ");
        for (var i = 0; i < examples.Length; i++)
        {
            if (i > 0)
            {
                text.Append(" or ");
            }

            text.Append('\'').Append(examples[i]).Append("', ");
        }

        return text.Append("regex used for validation is '").Append(format).Append("')").ToString();
    }
}
