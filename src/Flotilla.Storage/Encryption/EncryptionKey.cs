namespace Flotilla.Storage.Encryption;

/// <summary>A named key of an <c>aesgcm</c> provider; the name is written in front of every value it encrypts.</summary>
public sealed record EncryptionKey(string Name, byte[] Secret);
