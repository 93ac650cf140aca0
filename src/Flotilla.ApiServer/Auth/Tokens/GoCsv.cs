using System.Text;

namespace Flotilla.ApiServer.Auth.Tokens;

/// <summary>
/// Go's encoding/csv reader with its defaults (what upstream's token file is read with): comma-separated, fields
/// may be double-quoted (<c>""</c> is a quote, commas and newlines allowed inside), a quote inside an unquoted field
/// or text after a closing quote is an error, empty lines are skipped, <c>\r\n</c> ends a line like <c>\n</c>.
/// </summary>
internal static class GoCsv
{
    public static IReadOnlyList<IReadOnlyList<string>> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        var records = new List<IReadOnlyList<string>>();
        var i = 0;
        var line = 1;
        while (i < text.Length)
        {
            if (text[i] == '\n')
            {
                i++;
                line++;
                continue;
            }

            var record = new List<string>();
            var recordLine = line;
            while (true)
            {
                var field = new StringBuilder();
                if (i < text.Length && text[i] == '"')
                {
                    i++;
                    while (true)
                    {
                        if (i >= text.Length)
                        {
                            throw Error(recordLine, line, "extraneous or missing \" in quoted-field");
                        }

                        if (text[i] == '"')
                        {
                            if (i + 1 < text.Length && text[i + 1] == '"')
                            {
                                field.Append('"');
                                i += 2;
                                continue;
                            }

                            i++;
                            break;
                        }

                        if (text[i] == '\n')
                        {
                            line++;
                        }

                        field.Append(text[i++]);
                    }

                    if (i < text.Length && text[i] is not (',' or '\n'))
                    {
                        throw Error(recordLine, line, "extraneous or missing \" in quoted-field");
                    }
                }
                else
                {
                    while (i < text.Length && text[i] is not (',' or '\n'))
                    {
                        if (text[i] == '"')
                        {
                            throw Error(recordLine, line, "bare \" in non-quoted-field");
                        }

                        field.Append(text[i++]);
                    }
                }

                record.Add(field.ToString());
                if (i < text.Length && text[i] == ',')
                {
                    i++;
                    continue;
                }

                break;
            }

            records.Add(record);
        }

        return records;
    }

    private static FormatException Error(int recordLine, int line, string what) =>
        new(recordLine == line ? $"parse error on line {line}: {what}" : $"record on line {recordLine}; parse error on line {line}: {what}");
}
