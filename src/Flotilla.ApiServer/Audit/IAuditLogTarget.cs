namespace Flotilla.ApiServer.Audit;

/// <summary>Where audit lines go: a rotated file, or standard output. Written by one thread at a time.</summary>
public interface IAuditLogTarget : IDisposable
{
    /// <summary>Appends one line (newline included); throws <see cref="IOException"/> when it cannot.</summary>
    void Write(ReadOnlySpan<byte> line);

    /// <summary>Hands what was written so far to the operating system.</summary>
    void Flush();
}
