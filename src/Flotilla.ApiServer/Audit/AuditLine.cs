using System.Buffers;

namespace Flotilla.ApiServer.Audit;

/// <summary>
/// One serialized event, newline included, in a buffer rented from the shared pool: the request rents it, the log's
/// writer returns it once written, so lines waiting in the queue are not garbage the collector has to promote.
/// </summary>
public readonly record struct AuditLine(byte[] Buffer, int Length)
{
    public ReadOnlySpan<byte> Span => Buffer.AsSpan(0, Length);

    /// <summary>A line holding a copy of <paramref name="text"/>.</summary>
    public static AuditLine Copy(ReadOnlySpan<byte> text)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(text.Length);
        text.CopyTo(buffer);
        return new AuditLine(buffer, text.Length);
    }

    /// <summary>Gives the buffer back to the pool; the line must not be used after.</summary>
    public void Release() => ArrayPool<byte>.Shared.Return(Buffer);
}
