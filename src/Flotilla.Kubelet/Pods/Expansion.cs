using System.Text;

namespace Flotilla.Kubelet.Pods;

/// <summary>
/// Upstream's <c>$(VAR)</c> expansion (third_party/forked/golang/expansion): <c>$(NAME)</c> becomes the first value
/// the lookups know, else stays as written; <c>$$</c> is a literal <c>$</c>; values are not expanded again.
/// </summary>
public static class Expansion
{
    public static string Expand(string input, Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(lookup);
        if (!input.Contains('$', StringComparison.Ordinal))
        {
            return input;
        }

        var result = new StringBuilder(input.Length);
        var cursor = 0;
        while (cursor < input.Length)
        {
            if (input[cursor] != '$' || cursor + 1 >= input.Length)
            {
                result.Append(input[cursor++]);
                continue;
            }

            var next = input[cursor + 1];
            if (next == '$')
            {
                result.Append('$');
                cursor += 2;
            }
            else if (next == '(' && input.IndexOf(')', cursor + 2) is var close && close > 0)
            {
                var name = input[(cursor + 2)..close];
                result.Append(lookup(name) ?? $"$({name})");
                cursor = close + 1;
            }
            else
            {
                // "$(" without ")" and "$c" stay as written.
                result.Append('$').Append(next);
                cursor += 2;
            }
        }

        return result.ToString();
    }
}
