using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Flotilla.Kubelet.Streaming.Spdy;

/// <summary>
/// SPDY/3 header blocks: pairs of lowercase names and values, zlib-compressed in one context per direction for the
/// whole connection, primed with the SPDY/3 dictionary and sync-flushed after each block (as Go's spdy framer does).
/// </summary>
public sealed class SpdyHeaderWriter : IDisposable
{
    private readonly MemoryStream _buffer = new();
    private readonly ZLibStream _zlib;

    public SpdyHeaderWriter() => _zlib = new ZLibStream(_buffer, CompressionLevel.Fastest, leaveOpen: true);

    /// <summary>One block, compressed. The peer's inflater is primed with the dictionary; this side need not use it.</summary>
    public byte[] Compress(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        _zlib.Write(SpdyHeaderBlock.Encode(headers));

        // A sync flush: everything so far decodable by the peer, the stream left open for the next block.
        _zlib.Flush();
        var block = _buffer.ToArray();
        _buffer.SetLength(0);
        return block;
    }

    public void Dispose()
    {
        _zlib.Dispose();
        _buffer.Dispose();
    }
}

/// <summary>
/// Inflates the peer's header blocks. .NET's inflater takes no preset dictionary, so the dictionary goes in as the
/// first (stored, uncompressed) deflate block of the stream and its output is dropped: the window then holds it,
/// and the peer's references into it resolve.
/// </summary>
public sealed class SpdyHeaderReader : IDisposable
{
    private readonly FeedStream _feed = new();
    private readonly DeflateStream _inflate;
    private bool _started;
    private int _toSkip;

    public SpdyHeaderReader() => _inflate = new DeflateStream(_feed, CompressionMode.Decompress);

    public List<KeyValuePair<string, string>> Decompress(ReadOnlySpan<byte> block)
    {
        if (!_started)
        {
            // The zlib header (2 bytes, then the dictionary's Adler-32 when FDICT is set) precedes the deflate data.
            if (block.Length < 2 || ((block[0] << 8) | block[1]) % 31 != 0 || (block[0] & 0x0F) != 8)
            {
                throw new InvalidDataException("spdy: a header block without a zlib header");
            }

            var skip = (block[1] & 0x20) != 0 ? 6 : 2;
            var dictionary = SpdyDictionary.Bytes;
            var stored = new byte[5 + dictionary.Length];
            BinaryPrimitives.WriteUInt16LittleEndian(stored.AsSpan(1), (ushort)dictionary.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(stored.AsSpan(3), (ushort)~dictionary.Length);
            dictionary.CopyTo(stored.AsSpan(5));
            _feed.Add(stored);
            _toSkip = dictionary.Length;
            block = block[skip..];
            _started = true;
        }

        _feed.Add(block.ToArray());
        using var output = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = _inflate.Read(buffer)) > 0)
        {
            var from = Math.Min(_toSkip, read);
            _toSkip -= from;
            output.Write(buffer, from, read - from);
        }

        return SpdyHeaderBlock.Decode(output.ToArray());
    }

    public void Dispose()
    {
        _inflate.Dispose();
        _feed.Dispose();
    }

    /// <summary>A stream of the bytes added so far: a read with nothing left returns 0 (no more for now), not an end.</summary>
    private sealed class FeedStream : Stream
    {
        private readonly Queue<byte[]> _chunks = new();
        private int _offset;

        public void Add(byte[] chunk)
        {
            if (chunk.Length > 0)
            {
                _chunks.Enqueue(chunk);
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (!_chunks.TryPeek(out var chunk))
            {
                return 0;
            }

            var n = Math.Min(buffer.Length, chunk.Length - _offset);
            chunk.AsSpan(_offset, n).CopyTo(buffer);
            _offset += n;
            if (_offset == chunk.Length)
            {
                _chunks.Dequeue();
                _offset = 0;
            }

            return n;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>The uncompressed header block: a 32-bit count, then each name and value with a 32-bit length.</summary>
public static class SpdyHeaderBlock
{
    public static byte[] Encode(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        using var output = new MemoryStream();
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, headers.Count);
        output.Write(number);
        foreach (var (name, value) in headers)
        {
            foreach (var text in (string[])[name.ToLowerInvariant(), value])
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                BinaryPrimitives.WriteInt32BigEndian(number, bytes.Length);
                output.Write(number);
                output.Write(bytes);
            }
        }

        return output.ToArray();
    }

    public static List<KeyValuePair<string, string>> Decode(ReadOnlySpan<byte> block)
    {
        int Number(ref ReadOnlySpan<byte> rest)
        {
            if (rest.Length < 4)
            {
                throw new InvalidDataException("spdy: a truncated header block");
            }

            var n = BinaryPrimitives.ReadInt32BigEndian(rest);
            rest = rest[4..];
            return n >= 0 && n <= rest.Length ? n : throw new InvalidDataException("spdy: a header length past the block");
        }

        string Text(ref ReadOnlySpan<byte> rest)
        {
            var n = Number(ref rest);
            var text = Encoding.UTF8.GetString(rest[..n]);
            rest = rest[n..];
            return text;
        }

        var rest = block;
        var count = rest.Length >= 4 ? BinaryPrimitives.ReadInt32BigEndian(rest) : throw new InvalidDataException("spdy: a truncated header block");
        rest = rest[4..];
        var headers = new List<KeyValuePair<string, string>>();
        for (var i = 0; i < count; i++)
        {
            var name = Text(ref rest);

            // Several values of one name are joined by NUL.
            foreach (var value in Text(ref rest).Split('\0'))
            {
                headers.Add(new(name, value));
            }
        }

        return headers;
    }

    /// <summary>A header's first value, by name in any case.</summary>
    public static string? Get(IReadOnlyList<KeyValuePair<string, string>> headers, string name) =>
        headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
}
