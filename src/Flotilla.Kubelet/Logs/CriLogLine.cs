using System.Globalization;
using System.Text;

namespace Flotilla.Kubelet.Logs;

/// <summary>
/// One line of a container's log in the CRI logging format, as containerd writes it and the kubelet reads it:
/// <c>2016-10-06T00:17:09.669794202Z stdout F log content</c> — the time (RFC 3339, nanoseconds), the stream, a tag
/// (<c>F</c> full line, <c>P</c> partial: the line goes on in the next entry) and the content.
/// </summary>
public readonly record struct CriLogLine(DateTimeOffset Time, string Stream, bool Partial, ReadOnlyMemory<byte> Content)
{
    /// <summary>Go's time.RFC3339Nano: trailing zeros of the fraction dropped.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture) + "Z";

    /// <summary>Upstream's RFC3339NanoFixed, as <c>timestamps=true</c> prefixes each line: always nine fractional digits.</summary>
    public static string FormatFixed(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "00Z";

    /// <summary>A full line as a runtime writes it, newline included.</summary>
    public static string Format(DateTimeOffset time, string stream, string content) => $"{FormatTime(time)} {stream} F {content}\n";

    /// <summary>Parses one line (without its newline); false when it is not in the CRI format.</summary>
    public static bool TryParse(ReadOnlyMemory<byte> line, out CriLogLine parsed)
    {
        parsed = default;
        var span = line.Span;
        var first = span.IndexOf((byte)' ');
        if (first <= 0 || !DateTimeOffset.TryParse(Encoding.ASCII.GetString(span[..first]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return false;
        }

        var rest = span[(first + 1)..];
        var second = rest.IndexOf((byte)' ');
        if (second <= 0)
        {
            return false;
        }

        var stream = Encoding.ASCII.GetString(rest[..second]);
        if (stream is not ("stdout" or "stderr"))
        {
            return false;
        }

        // The tags, ':'-separated: the first says whether the entry is partial (P) or full (F).
        var start = first + 1 + second + 1;
        var tail = span[start..];
        var third = tail.IndexOf((byte)' ');
        if (third <= 0)
        {
            return false;
        }

        var partial = tail[0] == (byte)'P' && (third == 1 || tail[1] == (byte)':');
        start += third + 1;
        parsed = new CriLogLine(time, stream, partial, line[start..]);
        return true;
    }
}
