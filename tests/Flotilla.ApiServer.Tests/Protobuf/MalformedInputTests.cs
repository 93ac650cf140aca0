using System.Text;
using Flotilla.ApiServer.Protobuf;

namespace Flotilla.ApiServer.Tests.Protobuf;

/// <summary>Hostile and broken bodies end in <see cref="ProtobufDecodeException"/>: no other exception, no hang, no deep recursion.</summary>
public sealed class MalformedInputTests
{
    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    public static TheoryData<string, byte[], string> Bodies => new()
    {
        { "empty", [], "prefix" },
        { "JSON", """{"kind":"ConfigMap"}"""u8.ToArray(), "prefix" },
        { "short magic", "k8s"u8.ToArray(), "prefix" },
        { "wrong magic", [.. "k8s\u0001"u8, 0x0A, 0x00], "prefix" },
        { "magic only", Magic, "apiVersion and kind" },
        { "no kind", Body(e => e.Message(1, t => t.String(1, "v1"))), "apiVersion and kind" },
        { "unknown kind", ProtoWriter.Envelope("v1", "Frobnicator", _ => { }), "no protobuf schema for kind Frobnicator in v1" },
        { "gzip content encoding", Body(e => e.Message(1, t => t.String(1, "v1").String(2, "ConfigMap")).String(3, "gzip")), "content encoding" },
        { "JSON content type", Body(e => e.Message(1, t => t.String(1, "v1").String(2, "ConfigMap")).String(4, "application/json")), "application/json" },
        { "apiVersion not UTF-8", Body(e => e.Message(1, t => t.Bytes(1, [0xFF]).String(2, "ConfigMap"))), "not UTF-8" },
        { "typeMeta as varint", Body(e => e.Varint(1, 1)), "runtime.Unknown field 1" },
        { "truncated varint", [.. Magic, 0x0A, 0x80], "truncated varint" },
        { "varint of eleven bytes", [.. Magic, 0x08, .. Enumerable.Repeat((byte)0xFF, 10), 0x01], "varint" },
        { "varint overflowing 64 bits", [.. Magic, 0x08, .. Enumerable.Repeat((byte)0xFF, 9), 0x02], "overflows 64 bits" },
        { "huge length", [.. Magic, 0x12, .. ProtoWriter.Varint(ulong.MaxValue)], "runs past the end" },
        { "length past the end", [.. Magic, 0x12, 0x05, 0x00], "runs past the end" },
        { "huge nested length", ProtoWriter.Envelope("v1", "ConfigMap", o => o.Tag(1, 2).Raw(ProtoWriter.Varint(int.MaxValue))), "runs past the end" },
        { "field number 0", [.. Magic, 0x02, 0x00], "invalid field number 0" },
        { "wire type 6", [.. Magic, 0x0E], "invalid wire type 6" },
        { "group", [.. Magic, 0x0B, 0x0C], "groups are not supported" },
        { "truncated fixed64", ProtoWriter.Envelope("v1", "ConfigMap", o => o.Tag(9, 1).Raw(1, 2, 3)), "truncated 8-byte value" },
        { "metadata as varint", ProtoWriter.Envelope("v1", "ConfigMap", o => o.Varint(1, 7)), "core.v1.ConfigMap.metadata (field 1): wire type Varint" },
        { "string as varint", ProtoWriter.Envelope("v1", "ConfigMap", o => o.Message(1, m => m.Varint(1, 7))), "meta.v1.ObjectMeta.name" },
        { "map entry as varint", ProtoWriter.Envelope("v1", "ConfigMap", o => o.Varint(2, 1)), "core.v1.ConfigMap.data" },
        { "map key as varint", ProtoWriter.Envelope("v1", "ConfigMap", o => o.Message(2, e => e.Varint(1, 1))), "map key" },
        { "time seconds as string", ProtoWriter.Envelope("v1", "ConfigMap", o => o.Message(1, m => m.Message(8, t => t.String(1, "x")))), "Timestamp field 1" },
        { "fieldsV1 nested too deep", ProtoWriter.Envelope("v1", "ConfigMap", o => o.Message(1, m => m.Message(17, f => f.Message(7, r => r.String(1, new string('[', 100_000)))))), "not JSON" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void ToJson_MalformedBody_ThrowsNamingTheProblem(string description, byte[] body, string expected)
    {
        var e = Assert.Throws<ProtobufDecodeException>(() => KubernetesProtobuf.ToJson(body));

        Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), $"{description}: {e.Message}");
    }

    [Theory]
    [MemberData(nameof(KubectlCase.Names), MemberType = typeof(KubectlCase))]
    public void ToJson_EveryTruncationOfAKubectlBody_DecodesOrThrowsDecodeException(string name)
    {
        var body = Golden.Read($"{name}.pb");

        for (var length = 0; length < body.Length; length++)
        {
            DecodesOrThrowsDecodeException(body.AsSpan(0, length).ToArray());
        }

        // The last byte is the length of an empty contentType: without it the envelope ends inside a field.
        Assert.Throws<ProtobufDecodeException>(() => KubernetesProtobuf.ToJson(body.AsSpan(0, body.Length - 1)));
    }

    [Fact]
    public void ToJson_RandomlyCorruptedKubectlBodies_DecodeOrThrowDecodeException()
    {
        var random = new Random(1234);
        var bodies = KubectlCase.All.Select(c => Golden.Read($"{c.Name}.pb")).ToArray();

        for (var i = 0; i < 5_000; i++)
        {
            var body = bodies[random.Next(bodies.Length)].ToList();
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                var at = random.Next(Magic.Length, body.Count);
                switch (random.Next(3))
                {
                    case 0:
                        body[at] = (byte)random.Next(256);
                        break;
                    case 1:
                        body.Insert(at, (byte)random.Next(256));
                        break;
                    default:
                        body.RemoveAt(at);
                        break;
                }
            }

            DecodesOrThrowsDecodeException([.. body]);
        }
    }

    [Fact]
    public void ToJson_MessagesNestedBeyondTheLimit_Throw()
    {
        // A schema that allows unbounded nesting; the built-in ones are finite, but the limit must not depend on it.
        var schema = ProtobufSchema.Parse(("test", "package test.v1 test/v1\nkind Node\n  1 child Node ?\n  2 name string\n"));
        byte[] node = [0x12, 0x01, (byte)'x'];
        for (var depth = 0; depth < 1_000; depth++)
        {
            node = [0x0A, .. ProtoWriter.Varint((ulong)node.Length), .. node];
        }

        var e = Assert.Throws<ProtobufDecodeException>(() => KubernetesProtobuf.ToJson(Envelope("test/v1", "Node", node), schema));

        Assert.Contains($"deeper than {ProtobufJsonWriter.MaxDepth} levels", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_NestingWithinTheLimit_Decodes()
    {
        var schema = ProtobufSchema.Parse(("test", "package test.v1 test/v1\nkind Node\n  1 child Node ?\n"));
        byte[] node = [];
        for (var depth = 0; depth < ProtobufJsonWriter.MaxDepth - 1; depth++)
        {
            node = [0x0A, .. ProtoWriter.Varint((ulong)node.Length), .. node];
        }

        var json = Encoding.UTF8.GetString(KubernetesProtobuf.ToJson(Envelope("test/v1", "Node", node), schema).Json);

        Assert.Equal(ProtobufJsonWriter.MaxDepth - 1, json.Split("\"child\"").Length - 1);
    }

    [Fact]
    public void ToJson_BodyExpandingPastTheOutputLimit_Throws()
    {
        // Each empty ContainerStatus is two bytes on the wire and about a hundred in JSON (its non-omitempty zeros).
        var status = new ProtoWriter();
        for (var i = 0; i < 400_000; i++)
        {
            status.Raw(0x42, 0x00);
        }

        var body = Envelope("v1", "Pod", new ProtoWriter().Bytes(3, status.ToArray()).ToArray());

        var e = Assert.Throws<ProtobufDecodeException>(() => KubernetesProtobuf.ToJson(body));
        Assert.Contains("exceeds", e.Message, StringComparison.Ordinal);
    }

    private static void DecodesOrThrowsDecodeException(byte[] body)
    {
        try
        {
            KubernetesProtobuf.ToJson(body);
        }
        catch (ProtobufDecodeException)
        {
        }
    }

    private static byte[] Body(Action<ProtoWriter> envelope)
    {
        var writer = new ProtoWriter().Raw(Magic);
        envelope(writer);
        return writer.ToArray();
    }

    private static byte[] Envelope(string apiVersion, string kind, byte[] raw) =>
        new ProtoWriter().Raw(Magic).Message(1, t => t.String(1, apiVersion).String(2, kind)).Bytes(2, raw).ToArray();
}
