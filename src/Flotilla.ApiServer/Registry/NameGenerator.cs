using System.Security.Cryptography;

namespace Flotilla.ApiServer.Registry;

/// <summary>generateName: the prefix plus 5 random characters from upstream's alphabet (no vowels, no look-alikes).</summary>
public static class NameGenerator
{
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";
    private const int MaxPrefix = 63 - 5;

    public static string Generate(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length > MaxPrefix)
        {
            prefix = prefix[..MaxPrefix];
        }

        return prefix + RandomNumberGenerator.GetString(Alphabet, 5);
    }
}
