using System.Globalization;
using System.Text;
using Flotilla.Api.Resources;

namespace Flotilla.ApiServer.Registry;

/// <summary>
/// Stored objects are JSON this server encoded, so they start with <c>{"apiVersion":..,"kind":..,"metadata":{</c>.
/// The resourceVersion (the store's revision, never stored) can then be spliced in without decoding the object.
/// </summary>
public static class StoredJson
{
    public static byte[] Prefix(ResourceInfo resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return Encoding.UTF8.GetBytes($"{{\"apiVersion\":\"{resource.ApiVersion}\",\"kind\":\"{resource.Kind}\",\"metadata\":{{");
    }

    /// <summary>The object with <c>metadata.resourceVersion</c> set, or null when it does not start with <paramref name="prefix"/>.</summary>
    public static byte[]? WithResourceVersion(ReadOnlySpan<byte> stored, ReadOnlySpan<byte> prefix, long revision)
    {
        if (!stored.StartsWith(prefix))
        {
            return null;
        }

        var rest = stored[prefix.Length..];
        var field = Encoding.UTF8.GetBytes($"\"resourceVersion\":\"{revision.ToString(CultureInfo.InvariantCulture)}\"{(rest.Length > 0 && rest[0] == (byte)'}' ? string.Empty : ",")}");
        var result = new byte[stored.Length + field.Length];
        prefix.CopyTo(result);
        field.CopyTo(result.AsSpan(prefix.Length));
        rest.CopyTo(result.AsSpan(prefix.Length + field.Length));
        return result;
    }
}
