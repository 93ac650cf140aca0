using System.Text.Json.Nodes;
using Flotilla.ApiServer.Patch;

namespace Flotilla.ApiServer.Tests.Patch;

public sealed class JsonMergePatchTests
{
    // RFC 7386 appendix A.
    public static TheoryData<string, string, string> RfcExamples => new()
    {
        { """{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""" },
        { """{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""" },
        { """{"a":"b"}""", """{"a":null}""", "{}" },
        { """{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""" },
        { """{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""" },
        { """{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""" },
        { """{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""" },
        { """{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""" },
        { """["a","b"]""", """["c","d"]""", """["c","d"]""" },
        { """{"a":"b"}""", """["c"]""", """["c"]""" },
        { """{"a":"foo"}""", "null", "null" },
        { """{"a":"foo"}""", "\"bar\"", "\"bar\"" },
        { """{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""" },
        { "[1,2]", """{"a":"b","c":null}""", """{"a":"b"}""" },
        { "{}", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""" },
    };

    [Theory]
    [MemberData(nameof(RfcExamples))]
    public void Apply_RfcExample_GivesRfcResult(string target, string patch, string expected)
    {
        var result = JsonMergePatch.Apply(JsonNode.Parse(target), JsonNode.Parse(patch));

        JsonAssert.Equal(expected, result);
    }

    [Fact]
    public void Apply_KubectlLabel_AddsAndRemovesLabelsOnly()
    {
        // kubectl label pod web tier=frontend app-
        var pod = JsonNode.Parse("""{"metadata":{"name":"web","labels":{"app":"web","env":"prod"}},"spec":{"containers":[{"name":"app"}]}}""")!;

        var result = JsonMergePatch.Apply(pod, JsonNode.Parse("""{"metadata":{"labels":{"tier":"frontend","app":null}}}"""));

        JsonAssert.Equal("""{"metadata":{"name":"web","labels":{"env":"prod","tier":"frontend"}},"spec":{"containers":[{"name":"app"}]}}""", result);
        JsonAssert.Equal("""{"metadata":{"name":"web","labels":{"app":"web","env":"prod"}},"spec":{"containers":[{"name":"app"}]}}""", pod);
    }

    [Fact]
    public void Apply_KubectlScale_SetsReplicas()
    {
        var scale = JsonNode.Parse("""{"kind":"Scale","spec":{"replicas":1},"status":{"replicas":1}}""");

        var result = JsonMergePatch.Apply(scale, JsonNode.Parse("""{"spec":{"replicas":3}}"""));

        JsonAssert.Equal("""{"kind":"Scale","spec":{"replicas":3},"status":{"replicas":1}}""", result);
    }
}
