using System.Text.Json.Nodes;
using Flotilla.ApiServer.Protobuf;
using Flotilla.ApiServer.Tests.Patch;

namespace Flotilla.ApiServer.Tests.Protobuf;

/// <summary>apimachinery's messages whose JSON is not an object, and bytes, as Go's JSON encoder writes them.</summary>
public sealed class SpecialTypeTests
{
    [Theory]
    [InlineData(1_700_000_000L, 0, "2023-11-14T22:13:20Z")]
    [InlineData(1_700_000_000L, 999_999_999, "2023-11-14T22:13:20Z")] // Time keeps whole seconds
    [InlineData(0L, 0, "1970-01-01T00:00:00Z")] // present but zero fields: the Unix epoch, not Go's zero time
    [InlineData(1L, -1_000_000_000, "1970-01-01T00:00:00Z")] // nanos fold into seconds as time.Unix does
    [InlineData(-62_135_596_800L, 0, null)] // Go's zero time.Time is null
    [InlineData(253_402_300_799L, 0, "9999-12-31T23:59:59Z")]
    public void ToJson_Time_IsRfc3339InWholeSeconds(long seconds, int nanos, string? expected)
    {
        var json = ProtoWriter.Decode("v1", "Namespace", o => o.Message(1, m => m.Message(9, t => t.Varint(1, seconds).Varint(2, nanos))));

        Assert.Equal(expected, (string?)json["metadata"]!["deletionTimestamp"]);
        Assert.True(((JsonObject)json["metadata"]!).ContainsKey("deletionTimestamp"));
    }

    [Fact]
    public void ToJson_EmptyTime_IsNullAsGoDecodesNoBytes()
    {
        // kubectl sends creationTimestamp as an empty message; Go decodes it as the zero time.
        var json = ProtoWriter.Decode("v1", "Namespace", o => o.Message(1, m => m.String(1, "n").Bytes(8, [])));

        JsonAssert.Equal("""{"name":"n","creationTimestamp":null}""", json["metadata"]);
    }

    [Fact]
    public void ToJson_TimeBeyondYear9999_Throws()
    {
        var body = ProtoWriter.Envelope("v1", "Namespace", o => o.Message(1, m => m.Message(8, t => t.Varint(1, 253_402_300_800))));

        var e = Assert.Throws<ProtobufDecodeException>(() => KubernetesProtobuf.ToJson(body));
        Assert.Contains("years 1 to 9999", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":0,"intVal":8080}""", "8080")]
    [InlineData("""{"type":1,"strVal":"http"}""", "\"http\"")]
    [InlineData("""{"type":1}""", "\"\"")]
    [InlineData("""{}""", "0")]
    [InlineData(null, "0")] // absent: ServicePort.targetPort is a Go value, its zero is 0
    public void ToJson_IntOrString_IsANumberOrAString(string? value, string expected)
    {
        var fields = value is null ? null : JsonNode.Parse(value)!.AsObject();
        var json = ProtoWriter.Decode("v1", "Service", o => o.Message(2, s => s.Message(1, p =>
        {
            p.Varint(3, 80);
            if (fields is not null)
            {
                p.Message(4, i =>
                {
                    if (fields["type"] is { } type)
                    {
                        i.Varint(1, (long)type);
                    }

                    if (fields["intVal"] is { } intVal)
                    {
                        i.Varint(2, (long)intVal);
                    }

                    if (fields["strVal"] is { } strVal)
                    {
                        i.String(3, (string)strVal!);
                    }
                });
            }
        })));

        Assert.Equal(expected, json["spec"]!["ports"]![0]!["targetPort"]!.ToJsonString());
    }

    [Fact]
    public void ToJson_IntOrStringOfUnknownType_Throws()
    {
        var body = ProtoWriter.Envelope("policy/v1", "PodDisruptionBudget", o => o.Message(2, s => s.Message(1, i => i.Varint(1, 2))));

        var e = Assert.Throws<ProtobufDecodeException>(() => KubernetesProtobuf.ToJson(body));
        Assert.Contains("IntOrString with type 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_QuantityMap_WritesStringsAndZeroForAnEmptyValue()
    {
        var json = ProtoWriter.Decode("v1", "ResourceQuota", o => o.Message(2, s => s
            .Message(1, e => e.String(1, "pods").Message(2, q => q.String(1, "10")))
            .Message(1, e => e.String(1, "cpu").Message(2, q => q.String(1, "500m")))
            .Message(1, e => e.String(1, "memory"))));

        JsonAssert.Equal("""{"hard":{"cpu":"500m","memory":"0","pods":"10"}}""", json["spec"]);
    }

    [Fact]
    public void ToJson_BytesMap_IsBase64()
    {
        var json = ProtoWriter.Decode("v1", "Secret", o => o
            .Message(2, e => e.String(1, "k").Bytes(2, "v"u8.ToArray()))
            .Message(2, e => e.String(1, "bin").Bytes(2, [0, 0xFF, 0x10]))
            .Message(2, e => e.String(1, "empty")));

        JsonAssert.Equal("""{"bin":"AP8Q","empty":"","k":"dg=="}""", json["data"]);
    }

    [Theory]
    [InlineData(new byte[] { 0x30, 0x82, 0x01 }, "\"MIIB\"")]
    [InlineData(new byte[0], "\"\"")] // present but empty: Go decodes a non-nil empty slice
    [InlineData(null, "null")] // absent: a nil []byte, and request has no omitempty
    public void ToJson_SingularBytes_IsBase64(byte[]? request, string expected)
    {
        var json = ProtoWriter.Decode("certificates.k8s.io/v1", "CertificateSigningRequest", o => o.Message(2, s =>
        {
            if (request is not null)
            {
                s.Bytes(1, request);
            }

            s.String(7, "kubernetes.io/kube-apiserver-client");
        }));

        Assert.Equal(expected, json["spec"]!["request"]?.ToJsonString() ?? "null");
    }

    [Fact]
    public void ToJson_FieldsV1_EmbedsTheRawJson()
    {
        var json = ProtoWriter.Decode("v1", "ConfigMap", o => o.Message(1, m => m.Message(17, f => f
            .String(1, "kubectl").String(6, "FieldsV1").Message(7, r => r.String(1, """{"f:data":{"f:a":{}}}""")))));

        JsonAssert.Equal("""[{"manager":"kubectl","fieldsType":"FieldsV1","fieldsV1":{"f:data":{"f:a":{}}}}]""", json["metadata"]!["managedFields"]);
    }

    [Theory]
    [InlineData("{\"unterminated\":")]
    [InlineData("{} {}")]
    [InlineData("not json")]
    public void ToJson_FieldsV1ThatIsNotJson_Throws(string raw)
    {
        var body = ProtoWriter.Envelope("v1", "ConfigMap", o => o.Message(1, m => m.Message(17, f => f.Message(7, r => r.String(1, raw)))));

        var e = Assert.Throws<ProtobufDecodeException>(() => KubernetesProtobuf.ToJson(body));
        Assert.Contains("not JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_ExtraValueMap_IsAMapOfArrays()
    {
        var json = ProtoWriter.Decode("authorization.k8s.io/v1", "SubjectAccessReview", o => o.Message(2, s => s
            .String(3, "alice")
            .Message(5, e => e.String(1, "scopes").Message(2, v => v.String(1, "a").String(1, "b")))
            .Message(5, e => e.String(1, "none").Bytes(2, []))));

        JsonAssert.Equal("""{"user":"alice","extra":{"none":null,"scopes":["a","b"]}}""", json["spec"]);
    }

    [Fact]
    public void ToJson_TimeMap_WritesEachTime()
    {
        var json = ProtoWriter.Decode("policy/v1", "PodDisruptionBudget", o => o.Message(3, s => s
            .Message(2, e => e.String(1, "pod-a").Message(2, t => t.Varint(1, 60)))));

        JsonAssert.Equal("""{"disruptedPods":{"pod-a":"1970-01-01T00:01:00Z"},"disruptionsAllowed":0,"currentHealthy":0,"desiredHealthy":0,"expectedPods":0}""", json["status"]);
    }

    [Theory]
    [InlineData("microtime ?", 1_700_000_000L, 123_456_789, "\"2023-11-14T22:13:20.123456Z\"")]
    [InlineData("microtime ?", 1_700_000_000L, 0, "\"2023-11-14T22:13:20.000000Z\"")]
    [InlineData("duration ?", 3_600_000_000_000L, 0, "\"1h0m0s\"")]
    [InlineData("duration ?", 1_500_000L, 0, "\"1.5ms\"")]
    public void ToJson_MicroTimeAndDuration_AreGoStrings(string type, long first, int second, string expected)
    {
        var schema = ProtobufSchema.Parse(("test", $"package test.v1 test/v1\nkind Special\n  1 value {type}\n"));
        var body = ProtoWriter.Envelope("test/v1", "Special", o => o.Message(1, v => v.Varint(1, first).Varint(2, second)));

        var json = JsonNode.Parse(KubernetesProtobuf.ToJson(body, schema).Json)!;

        Assert.Equal(expected, json["value"]!.ToJsonString());
    }
}
