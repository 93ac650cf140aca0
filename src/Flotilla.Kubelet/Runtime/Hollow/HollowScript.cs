using System.Globalization;
using System.Text.RegularExpressions;

namespace Flotilla.Kubelet.Runtime.Hollow;

/// <summary>
/// What a simulated container or exec does, read from its command line as a shell would hint it: <c>exit N</c> ends
/// with code N (shortly after starting, or after a <c>sleep</c>); <c>sleep N</c> takes N seconds; a loop
/// (<c>while</c>, <c>until</c>, <c>for</c>) runs until stopped; <c>trap '' TERM</c> ignores SIGTERM; each <c>echo X</c>
/// prints a line X (once, as the container starts, even inside a loop), and <c>echo X &gt; PATH</c> writes X to the termination message at PATH. Anything else runs until stopped
/// (a container) or succeeds at once (an exec).
/// </summary>
public sealed partial record HollowScript(int? ExitCode, double? Sleep, bool Loops, bool IgnoresTerm, IReadOnlyList<string> Prints, IReadOnlyDictionary<string, string> Writes)
{
    /// <summary>How long an <c>exit N</c> container runs when nothing else says.</summary>
    public static readonly TimeSpan ExitDelay = TimeSpan.FromMilliseconds(100);

    public static HollowScript Parse(IEnumerable<string> command, IEnumerable<string> args)
    {
        var text = string.Join(' ', command.Concat(args));
        var exit = ExitPattern().Match(text);
        var sleep = SleepPattern().Match(text);
        var prints = new List<string>();
        var writes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in EchoPattern().Matches(text))
        {
            var said = Unquote(m.Groups["text"].Value.Trim());
            if (m.Groups["path"].Success)
            {
                writes[Unquote(m.Groups["path"].Value)] = said;
            }
            else
            {
                prints.Add(said);
            }
        }

        return new HollowScript(
            exit.Success ? int.Parse(exit.Groups[1].Value, CultureInfo.InvariantCulture) & 0xff : null,
            sleep.Success ? double.Parse(sleep.Groups[1].Value, CultureInfo.InvariantCulture) : null,
            LoopPattern().IsMatch(text),
            IgnoreTermPattern().IsMatch(text),
            prints,
            writes);
    }

    /// <summary>A container's end: its exit code and when, after it starts; null when it runs until stopped.</summary>
    public (int ExitCode, TimeSpan After)? Fate(double speed)
    {
        var slept = Sleep is { } s ? TimeSpan.FromSeconds(s / speed) : TimeSpan.Zero;
        if (ExitCode is { } code)
        {
            return (code, slept > ExitDelay ? slept : ExitDelay);
        }

        return Loops || Sleep is null ? null : (0, slept);
    }

    /// <summary>What it prints, as a shell would: a line per <c>echo</c>.</summary>
    public string Output => string.Concat(Prints.Select(p => p + "\n"));

    /// <summary>What the script wrote at <paramref name="path"/> (its termination message), if anything.</summary>
    public string? MessageAt(string? path) => path is not null && Writes.TryGetValue(path, out var text) ? text : null;

    private static string Unquote(string s) =>
        s.Length >= 2 && (s[0] == '\'' || s[0] == '"') && s[^1] == s[0] ? s[1..^1] : s;

    [GeneratedRegex(@"(?:^|[\s;&|(""'])exit\s+(\d+)")]
    private static partial Regex ExitPattern();

    [GeneratedRegex(@"(?:^|[\s;&|(""'])sleep\s+(\d+(?:\.\d+)?)")]
    private static partial Regex SleepPattern();

    [GeneratedRegex(@"(?:^|[\s;&|(""'])(?:while|until|for)\s")]
    private static partial Regex LoopPattern();

    [GeneratedRegex(@"(?:^|[\s;&|(""'])trap\s+(?:''|"""")\s+[^;&|]*\b(?:SIGTERM|TERM|15)\b")]
    private static partial Regex IgnoreTermPattern();

    [GeneratedRegex(@"(?:^|[\s;&|(])echo\s+(?:-n\s+)?(?<text>'[^']*'|""[^""]*""|[^;&|>]+?)\s*(?:>\s*(?<path>\S+?))?\s*(?=$|[;&|)])")]
    private static partial Regex EchoPattern();
}
