namespace Flotilla.Storage;

/// <summary>Prefix ranges as etcd computes them: [prefix, end) where end is the prefix with its last byte incremented.</summary>
public static class KeyRange
{
    public static string PrefixEnd(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        // Keys are ASCII paths; incrementing the last char gives the smallest string greater than every key under the prefix.
        var chars = prefix.ToCharArray();
        chars[^1] = (char)(chars[^1] + 1);
        return new string(chars);
    }

    public static bool Matches(string key, string prefix) => key.StartsWith(prefix, StringComparison.Ordinal);
}
