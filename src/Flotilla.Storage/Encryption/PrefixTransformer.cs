namespace Flotilla.Storage.Encryption;

/// <summary>A transformer and the prefix its stored values carry (empty for <c>identity</c>).</summary>
public sealed record PrefixTransformer(byte[] Prefix, IValueTransformer Transformer);
