using Microsoft.AspNetCore.Http;

namespace Flotilla.ApiServer.Audit;

/// <summary>
/// Passes a response body through while keeping a copy, for the response object of a RequestResponse-level event
/// (installed only for those; a watch's endless body is never captured).
/// </summary>
public sealed class ResponseCapture : Stream
{
    private readonly Stream _inner;
    private readonly MemoryStream _copy = new();

    private ResponseCapture(Stream inner) => _inner = inner;

    public ReadOnlyMemory<byte> Captured => _copy.GetBuffer().AsMemory(0, (int)_copy.Length);

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public static ResponseCapture Install(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var capture = new ResponseCapture(response.Body);
        response.Body = capture;
        return capture;
    }

    /// <summary>Puts the server's own body stream back.</summary>
    public void Restore(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Body = _inner;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _copy.Write(buffer);
        _inner.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _copy.Write(buffer.Span);
        return _inner.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _copy.Dispose();
        }

        base.Dispose(disposing);
    }
}
