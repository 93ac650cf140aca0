using System.Globalization;
using System.Text;

namespace Flotilla.Api.Serialization;

/// <summary>Go's <c>%q</c>, as upstream quotes names, values and field paths in its messages: quotes, backslashes and control characters escaped.</summary>
public static class GoQuote
{
    public static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case < ' ' or '\u007f': text.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)); break;
                default:
                    if (char.IsControl(c))
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.Append('"').ToString();
    }
}
