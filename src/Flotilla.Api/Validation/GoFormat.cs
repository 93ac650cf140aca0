using System.Globalization;
using System.Text;

namespace Flotilla.Api.Validation;

/// <summary>
/// How Go prints the values upstream's messages embed: <c>%q</c> (strconv.Quote) for strings and encoding/json
/// for string lists, so a message carrying a quote, a control character or a list reads byte for byte as upstream's.
/// </summary>
public static class GoFormat
{
    private const string Hex = "0123456789abcdef";

    public static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var rune in value.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\a': text.Append("\\a"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\v': text.Append("\\v"); break;
                default: AppendQuotedRune(text, rune); break;
            }
        }

        return text.Append('"').ToString();
    }

    /// <summary>json.Marshal of a []string; upstream hands validation a nil slice for an empty list, printed <c>null</c>.</summary>
    public static string JsonStrings(IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return "null";
        }

        var text = new StringBuilder("[");
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            AppendJsonString(text, values[i]);
        }

        return text.Append(']').ToString();
    }

    private static void AppendQuotedRune(StringBuilder text, Rune rune)
    {
        var r = rune.Value;
        if (IsPrint(rune))
        {
            text.Append(rune.ToString());
        }
        else if (r < ' ' || r == 0x7f)
        {
            text.Append("\\x").Append(Hex[r >> 4]).Append(Hex[r & 0xf]);
        }
        else if (r < 0x10000)
        {
            text.Append("\\u").Append(r.ToString("x4", CultureInfo.InvariantCulture));
        }
        else
        {
            text.Append("\\U").Append(r.ToString("x8", CultureInfo.InvariantCulture));
        }
    }

    // Go's unicode.IsPrint: Latin-1 graphic characters (not NBSP or soft hyphen), then letters, marks, numbers,
    // punctuation and symbols; every space but U+0020 is escaped.
    private static bool IsPrint(Rune rune)
    {
        var r = rune.Value;
        if (r <= 0xff)
        {
            return r is >= 0x20 and <= 0x7e || (r is >= 0xa1 and <= 0xff && r != 0xad);
        }

        var category = (int)Rune.GetUnicodeCategory(rune);
        return category <= (int)UnicodeCategory.OtherNumber
            || category is >= (int)UnicodeCategory.ConnectorPunctuation and <= (int)UnicodeCategory.OtherSymbol;
    }

    private static void AppendJsonString(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var rune in value.EnumerateRunes())
        {
            var r = rune.Value;
            switch (r)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;

                // encoding/json escapes HTML-significant characters and the JavaScript line separators.
                case < 0x20 or '<' or '>' or '&' or 0x2028 or 0x2029:
                    text.Append("\\u").Append(r.ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default: text.Append(rune.ToString()); break;
            }
        }

        text.Append('"');
    }
}
