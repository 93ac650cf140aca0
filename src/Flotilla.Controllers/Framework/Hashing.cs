namespace Flotilla.Controllers.Framework;

/// <summary>The hashes that name controllers' children (Go's hash/fnv and apimachinery's rand.SafeEncodeString).</summary>
public static class Hashing
{
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>FNV-1 32-bit (ControllerRevision names).</summary>
    public static uint Fnv32(ReadOnlySpan<byte> bytes)
    {
        var hash = 2166136261u;
        foreach (var b in bytes)
        {
            hash *= 16777619u;
            hash ^= b;
        }

        return hash;
    }

    /// <summary>FNV-1a 32-bit (pod-template-hash).</summary>
    public static uint Fnv32a(ReadOnlySpan<byte> bytes)
    {
        var hash = 2166136261u;
        foreach (var b in bytes)
        {
            hash ^= b;
            hash *= 16777619u;
        }

        return hash;
    }

    /// <summary>rand.SafeEncodeString of the number's digits: no vowels, no look-alikes, so no words and no confusion.</summary>
    public static string SafeEncode(uint value)
    {
        var chars = value.ToString(System.Globalization.CultureInfo.InvariantCulture).ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[chars[i] % Alphabet.Length];
        }

        return new string(chars);
    }
}
