using System.Buffers.Binary;

namespace Flotilla.Kubelet.Streaming.Spdy;

/// <summary>SPDY/3 control frame types (the subset Kubernetes' streaming uses, as moby/spdystream does).</summary>
public enum SpdyFrameType : ushort
{
    Data = 0,
    SynStream = 1,
    SynReply = 2,
    RstStream = 3,
    Settings = 4,
    Ping = 6,
    GoAway = 7,
    Headers = 8,
    WindowUpdate = 9,
}

/// <summary>
/// One SPDY/3 frame as read off the wire: a data frame (<see cref="SpdyFrameType.Data"/>, with its stream and
/// bytes) or a control frame (its type and raw payload; header blocks still compressed).
/// </summary>
public sealed record SpdyFrame(SpdyFrameType Type, byte Flags, uint StreamId, ReadOnlyMemory<byte> Payload)
{
    public const byte FlagFin = 0x01;
    public const byte FlagUnidirectional = 0x02;
    public const ushort Version = 3;

    /// <summary>Frames longer than this are refused (the length field has 24 bits; nothing here sends more than 64 KiB).</summary>
    public const int MaxLength = 1 << 24;

    public bool Fin => (Flags & FlagFin) != 0;

    /// <summary>Reads one frame; null when the connection ended cleanly between frames.</summary>
    public static async Task<SpdyFrame?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var head = new byte[8];
        var first = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        if (first == 0)
        {
            return null;
        }

        if (first < head.Length)
        {
            throw new IOException("spdy: the connection ended inside a frame header");
        }

        var word = BinaryPrimitives.ReadUInt32BigEndian(head);
        var flags = head[4];
        var length = (int)(BinaryPrimitives.ReadUInt32BigEndian(head.AsSpan(4)) & 0xFFFFFF);
        var payload = new byte[length];
        await stream.ReadExactlyAsync(payload, cancellationToken);
        if ((word & 0x80000000) == 0)
        {
            return new SpdyFrame(SpdyFrameType.Data, flags, word & 0x7FFFFFFF, payload);
        }

        var version = (ushort)((word >> 16) & 0x7FFF);
        if (version != Version)
        {
            throw new IOException($"spdy: unsupported version {version}");
        }

        var type = (SpdyFrameType)(word & 0xFFFF);

        // Every control frame but SETTINGS and PING (and GOAWAY's last-good-stream) starts with its stream ID.
        var streamId = type is SpdyFrameType.SynStream or SpdyFrameType.SynReply or SpdyFrameType.RstStream or SpdyFrameType.Headers or SpdyFrameType.WindowUpdate && length >= 4
            ? BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7FFFFFFF
            : 0;
        return new SpdyFrame(type, flags, streamId, payload);
    }

    /// <summary>A data frame's bytes on the wire.</summary>
    public static byte[] Data(uint streamId, byte flags, ReadOnlySpan<byte> data)
    {
        var frame = new byte[8 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, streamId & 0x7FFFFFFF);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), ((uint)flags << 24) | (uint)data.Length);
        data.CopyTo(frame.AsSpan(8));
        return frame;
    }

    /// <summary>A control frame's bytes on the wire.</summary>
    public static byte[] Control(SpdyFrameType type, byte flags, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, 0x80000000u | ((uint)Version << 16) | (ushort)type);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), ((uint)flags << 24) | (uint)payload.Length);
        payload.CopyTo(frame.AsSpan(8));
        return frame;
    }

    public static byte[] SynStream(uint streamId, byte flags, ReadOnlySpan<byte> compressedHeaders)
    {
        // Stream ID, associated-to stream ID (none), priority (0) and slot (0), then the header block.
        var payload = new byte[10 + compressedHeaders.Length];
        BinaryPrimitives.WriteUInt32BigEndian(payload, streamId & 0x7FFFFFFF);
        compressedHeaders.CopyTo(payload.AsSpan(10));
        return Control(SpdyFrameType.SynStream, flags, payload);
    }

    public static byte[] SynReply(uint streamId, byte flags, ReadOnlySpan<byte> compressedHeaders)
    {
        var payload = new byte[4 + compressedHeaders.Length];
        BinaryPrimitives.WriteUInt32BigEndian(payload, streamId & 0x7FFFFFFF);
        compressedHeaders.CopyTo(payload.AsSpan(4));
        return Control(SpdyFrameType.SynReply, flags, payload);
    }

    public static byte[] RstStream(uint streamId, uint status)
    {
        var payload = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(payload, streamId & 0x7FFFFFFF);
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(4), status);
        return Control(SpdyFrameType.RstStream, 0, payload);
    }

    public static byte[] Ping(uint id)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(payload, id);
        return Control(SpdyFrameType.Ping, 0, payload);
    }

    public static byte[] GoAway(uint lastGoodStreamId, uint status)
    {
        var payload = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(payload, lastGoodStreamId & 0x7FFFFFFF);
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(4), status);
        return Control(SpdyFrameType.GoAway, 0, payload);
    }

    /// <summary>Where a frame's compressed header block starts in its payload (SYN_STREAM: after IDs, priority and slot).</summary>
    public int HeaderBlockOffset => Type switch
    {
        SpdyFrameType.SynStream => 10,
        SpdyFrameType.SynReply or SpdyFrameType.Headers => 4,
        _ => throw new InvalidOperationException($"spdy: a {Type} frame carries no headers"),
    };
}
