namespace Flotilla.ApiServer.Encryption;

/// <summary>The encryption configuration file cannot be read, parsed, validated or written; the message says which and why.</summary>
public sealed class EncryptionConfigException(string message, Exception? inner = null) : Exception(message, inner);
