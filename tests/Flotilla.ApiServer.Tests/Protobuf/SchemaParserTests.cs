using Flotilla.ApiServer.Protobuf;

namespace Flotilla.ApiServer.Tests.Protobuf;

public sealed class SchemaParserTests
{
    [Fact]
    public void Parse_Fields_ReadsNumberNameTypeAndPresence()
    {
        var schema = ProtobufSchema.Parse(("test", """
            # a comment
            package test.v1 test/v1

            kind Thing
              3 name string !
              1 count int32 ?
              2 tags string*
              5 labels map<string,quantity>
              4 (inline) Part !
              6 other other.v1.Far ?

            message Part
              1 flag bool
            """), ("other", "package other.v1\nmessage Far\n  1 x bytes\n"));

        Assert.True(schema.TryGetKind("test/v1", "Thing", out var thing));
        Assert.Equal(
            [
                (3, "name", FieldCardinality.Single, ValueKind.String, FieldPresence.Value),
                (1, "count", FieldCardinality.Single, ValueKind.Int32, FieldPresence.Pointer),
                (2, "tags", FieldCardinality.Repeated, ValueKind.String, FieldPresence.OmitEmpty),
                (5, "labels", FieldCardinality.Map, ValueKind.Quantity, FieldPresence.OmitEmpty),
                (4, null, FieldCardinality.Single, ValueKind.Message, FieldPresence.Value),
                (6, "other", FieldCardinality.Single, ValueKind.Message, FieldPresence.Pointer),
            ],
            thing.Fields.Select(f => (f.Number, f.JsonName, f.Cardinality, f.Kind, f.Presence)));
        Assert.Same(schema.Message("test.v1.Part"), thing.Fields[4].Message);
        Assert.Same(schema.Message("other.v1.Far"), thing.Fields[5].Message);
        Assert.Equal(1, thing.IndexOf(1));
        Assert.Equal(-1, thing.IndexOf(7));
    }

    [Theory]
    [InlineData("package a.v1\nkind X\n", "without an apiVersion")]
    [InlineData("package a.v1 a/v1\n  1 x string\n", "cannot parse")]
    [InlineData("package a.v1 a/v1\nmessage X\n  1 x string\n  1 y string\n", "repeats a number or a JSON name")]
    [InlineData("package a.v1 a/v1\nmessage X\n  1 x string\n  2 x string\n", "repeats a number or a JSON name")]
    [InlineData("package a.v1 a/v1\nmessage X\n  1 x string ~\n", "unknown flag")]
    [InlineData("package a.v1 a/v1\nmessage X\n  1 x time\n", "needs ? or !")]
    [InlineData("package a.v1 a/v1\nmessage X\n  1 x string* ?\n", "needs ? or !")]
    [InlineData("package a.v1 a/v1\nmessage X\n  1 (inline) string !\n", "needs ? or !")]
    [InlineData("package a.v1 a/v1\nmessage X\n  1 x-y string\n", "invalid JSON name")]
    [InlineData("package a.v1 a/v1\nmessage X\n  one x string\n", "cannot parse")]
    [InlineData("package a.v1 a/v1\nmessage X\n  1 x Missing ?\n", "unknown message a.v1.Missing")]
    [InlineData("package a.v1 a/v1\nmessage X\nmessage X\n", "declared twice")]
    [InlineData("package a.v1 a/v1\nmessage A\n  1 b B !\nmessage B\n  1 a A !\n", "contains itself")]
    public void Parse_InvalidSchema_Throws(string text, string expected)
    {
        var e = Assert.Throws<InvalidOperationException>(() => ProtobufSchema.Parse(("test", text)));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PointerCycle_IsAllowed()
    {
        var schema = ProtobufSchema.Parse(("test", "package a.v1 a/v1\nmessage A\n  1 b B ?\nmessage B\n  1 a A !\n"));

        Assert.Same(schema.Message("a.v1.A"), schema.Message("a.v1.B").Fields[0].Message);
    }
}
