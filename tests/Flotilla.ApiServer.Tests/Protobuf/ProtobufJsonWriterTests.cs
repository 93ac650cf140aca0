using System.Text;
using Flotilla.ApiServer.Protobuf;
using Flotilla.ApiServer.Tests.Patch;

namespace Flotilla.ApiServer.Tests.Protobuf;

/// <summary>Field presence (proto2 on the wire, Go's omitempty and pointers in JSON) and protobuf's decoding rules.</summary>
public sealed class ProtobufJsonWriterTests
{
    [Theory]
    [InlineData(1, 0L, "replicas", "0")] // *int32: a present zero is written
    [InlineData(1, 3L, "replicas", "3")]
    [InlineData(5, 0L, "minReadySeconds", null)] // int32 with omitempty: zero is left out
    [InlineData(5, 10L, "minReadySeconds", "10")]
    [InlineData(7, 0L, "paused", null)] // bool with omitempty
    [InlineData(7, 1L, "paused", "true")]
    [InlineData(6, -1L, "revisionHistoryLimit", "-1")] // a negative int32 is a ten-byte varint
    [InlineData(6, 0x1_0000_0007L, "revisionHistoryLimit", "7")] // int32 keeps the low 32 bits, as Go's decoder
    public void ToJson_ScalarPresence_FollowsGoJson(int field, long value, string name, string? expected)
    {
        var json = ProtoWriter.Decode("apps/v1", "Deployment", o => o.Message(2, s => s.Varint(field, value)));

        var spec = json["spec"]!.AsObject();
        Assert.Equal(expected, spec.TryGetPropertyValue(name, out var written) ? written!.ToJsonString() : null);
    }

    [Fact]
    public void ToJson_AbsentValueFields_AreWrittenAsTheirZeroValues()
    {
        // Encoders other than Go's may leave out zero fields; JSON still shows Go's zero values for non-omitempty fields.
        var json = ProtoWriter.Decode("apps/v1", "Deployment", o => { });

        JsonAssert.Equal("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"creationTimestamp":null},
             "spec":{"template":{"metadata":{"creationTimestamp":null},"spec":{}},"strategy":{}},"status":{}}
            """, json);
    }

    [Fact]
    public void ToJson_EmptyRepeatedMessage_HasItsZeroFields()
    {
        var json = ProtoWriter.Decode("v1", "Service", o => o.Message(2, s => s.Bytes(1, [])));

        JsonAssert.Equal("""[{"port":0,"targetPort":0}]""", json["spec"]!["ports"]);
    }

    [Fact]
    public void ToJson_RepeatedScalars_AcceptPackedAndUnpacked()
    {
        var packed = ProtoWriter.Varint(2).Concat(ProtoWriter.Varint(3)).Concat(ProtoWriter.Varint(long.MaxValue)).ToArray();

        var json = ProtoWriter.Decode("v1", "Pod", o => o.Message(2, s => s.Message(14, c => c
            .Varint(4, 1).Bytes(4, packed).Varint(4, 4))));

        JsonAssert.Equal("""{"supplementalGroups":[1,2,3,9223372036854775807,4]}""", json["spec"]!["securityContext"]);
    }

    [Fact]
    public void ToJson_RepeatedFieldSplitOnTheWire_IsOneArray()
    {
        var json = ProtoWriter.Decode("v1", "Pod", o => o.Message(2, s => s
            .Message(2, c => c.String(1, "a"))
            .String(3, "Never")
            .Message(2, c => c.String(1, "b"))));

        JsonAssert.Equal("""
            {"containers":[{"name":"a","resources":{}},{"name":"b","resources":{}}],"restartPolicy":"Never"}
            """, json["spec"]);
    }

    [Fact]
    public void ToJson_SingularFieldTwice_LastScalarWinsAndMessagesMerge()
    {
        var json = ProtoWriter.Decode("v1", "ConfigMap", o => o
            .Message(1, m => m.String(1, "first").Entry(11, "a", "1"))
            .Message(1, m => m.String(1, "second").Entry(11, "b", "2")));

        JsonAssert.Equal("""{"name":"second","creationTimestamp":null,"labels":{"a":"1","b":"2"}}""", json["metadata"]);
    }

    [Fact]
    public void ToJson_MapWithRepeatedKeys_KeepsTheLastValueAndSortsKeys()
    {
        var json = ProtoWriter.Decode("v1", "ConfigMap", o => o
            .Entry(2, "b", "1").Entry(2, "a", "2").Entry(2, "b", "3").Entry(2, "ab", "4"));

        Assert.Equal("""{"a":"2","ab":"4","b":"3"}""", json["data"]!.ToJsonString());
    }

    [Fact]
    public void ToJson_UnknownFieldsOfEveryWireType_AreSkipped()
    {
        var json = ProtoWriter.Decode("v1", "ConfigMap", o => o
            .Varint(100, 5)
            .Tag(101, 1).Raw(1, 2, 3, 4, 5, 6, 7, 8)
            .String(102, "ignored")
            .Tag(103, 5).Raw(1, 2, 3, 4)
            .Entry(2, "k", "v"));

        JsonAssert.Equal("""{"k":"v"}""", json["data"]);
    }

    [Fact]
    public void ToJson_InvalidUtf8_BecomesTheReplacementCharacter()
    {
        var json = ProtoWriter.Decode("v1", "ConfigMap", o => o.Message(2, e => e.Bytes(1, [0x6B, 0xFF]).Bytes(2, [0xC3, 0x28])));

        Assert.Equal(new Dictionary<string, string?> { ["k\uFFFD"] = "\uFFFD(" }, json["data"]!.AsObject().ToDictionary(p => p.Key, p => (string?)p.Value));
    }

    [Fact]
    public void ToJson_InlineVolumeSource_MergesIntoTheVolume()
    {
        var json = ProtoWriter.Decode("v1", "Pod", o => o.Message(2, s => s.Message(1, v => v
            .String(1, "cache")
            .Message(2, src => src.Message(2, d => d.String(1, "Memory"))))));

        JsonAssert.Equal("""[{"name":"cache","emptyDir":{"medium":"Memory"}}]""", json["spec"]!["volumes"]);
    }

    [Fact]
    public void ToJson_ProtoNameDiffersFromJsonName_UsesTheJsonName()
    {
        // authentication/v1 BoundObjectReference: proto field "uID", Go JSON tag "uid".
        var json = ProtoWriter.Decode("authentication.k8s.io/v1", "TokenRequest", o => o.Message(2, s => s
            .String(1, "api").Varint(4, 3600).Message(3, r => r.String(1, "Pod").String(3, "web-0").String(4, "1234"))));

        JsonAssert.Equal("""
            {"audiences":["api"],"expirationSeconds":3600,"boundObjectRef":{"kind":"Pod","name":"web-0","uid":"1234"}}
            """, json["spec"]);
    }

    [Fact]
    public void ToJson_SelfSubjectAccessReview_WritesItsAttributes()
    {
        // What kubectl auth can-i get pods sends.
        var json = ProtoWriter.Decode("authorization.k8s.io/v1", "SelfSubjectAccessReview", o => o
            .Message(1, m => m.Bytes(8, []))
            .Message(2, s => s.Message(1, r => r.String(1, "default").String(2, "get").String(3, "").String(4, "").String(5, "pods").String(6, "").String(7, "")))
            .Message(3, st => st.Varint(1, 0).Varint(4, 0).String(2, "").String(3, "")));

        JsonAssert.Equal("""
            {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","metadata":{"creationTimestamp":null},
             "spec":{"resourceAttributes":{"namespace":"default","verb":"get","resource":"pods"}},"status":{"allowed":false}}
            """, json);
    }

    [Fact]
    public void ToJson_Json_IsUtf8WithApiVersionAndKindFirst()
    {
        var (_, _, json) = KubernetesProtobuf.ToJson(ProtoWriter.Envelope("v1", "ServiceAccount", o => o.Message(1, m => m.String(1, "sa"))));

        Assert.StartsWith("""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"sa",""", Encoding.UTF8.GetString(json), StringComparison.Ordinal);
    }
}
