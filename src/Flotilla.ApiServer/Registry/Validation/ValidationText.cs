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

    /// <summary>Go's <c>%q</c> for the plain strings upstream embeds in messages (printable ASCII is kept as is).</summary>
    public static string Quote(string value)
    {
        var text = new System.Text.StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case < ' ' or (char)0x7f: text.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)); break;
                default: text.Append(c); break;
            }
        }

        return text.Append('"').ToString();
    }
}
