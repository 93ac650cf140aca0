using System.Text;
using System.Text.Json.Nodes;
using Flotilla.ApiServer.Protobuf;

namespace Flotilla.ApiServer.Tests.Protobuf;

/// <summary>Builds protobuf wire data by hand, for inputs kubectl never sends (edge cases and malformed bodies).</summary>
internal sealed class ProtoWriter
{
    private readonly List<byte> _bytes = [];

    public ProtoWriter Tag(int field, int wireType) => Raw(Varint((ulong)field << 3 | (uint)wireType));

    public ProtoWriter Varint(int field, long value) => Tag(field, 0).Raw(Varint((ulong)value));

    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoWriter Bytes(int field, byte[] value) => Tag(field, 2).Raw(Varint((ulong)value.Length)).Raw(value);

    public ProtoWriter Message(int field, Action<ProtoWriter> build)
    {
        var inner = new ProtoWriter();
        build(inner);
        return Bytes(field, inner.ToArray());
    }

    /// <summary>A map entry {key = 1, value = 2} holding a string.</summary>
    public ProtoWriter Entry(int field, string key, string value) => Message(field, e => e.String(1, key).String(2, value));

    public ProtoWriter Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public byte[] ToArray() => [.. _bytes];

    public static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
        return [.. bytes];
    }

    /// <summary>The body kubectl would send: the magic, then runtime.Unknown {typeMeta {apiVersion, kind}, raw}.</summary>
    public static byte[] Envelope(string apiVersion, string kind, Action<ProtoWriter> build)
    {
        var obj = new ProtoWriter();
        build(obj);
        return new ProtoWriter()
            .Raw("k8s\0"u8.ToArray())
            .Message(1, t => t.String(1, apiVersion).String(2, kind))
            .Bytes(2, obj.ToArray())
            .ToArray();
    }

    /// <summary>Decodes an object built with <paramref name="build"/> and parses the JSON.</summary>
    public static JsonNode Decode(string apiVersion, string kind, Action<ProtoWriter> build) =>
        JsonNode.Parse(KubernetesProtobuf.ToJson(Envelope(apiVersion, kind, build)).Json)!;
}
