namespace Flotilla.Cli;

/// <summary>The data dir cannot be used (locked by another process, unreadable); the message says why.</summary>
public sealed class DataDirectoryException(string message) : Exception(message);
