using System.Text.Json.Nodes;
using Flotilla.ApiServer.Patch;

namespace Flotilla.ApiServer.Tests.Patch;

public sealed class JsonPatchTests
{
    // RFC 6902 appendix A (A.13, a document with a duplicate "op" member, is a parser concern and not repeated here).
    public static TheoryData<string, string, string, string> RfcExamples => new()
    {
        { "A.1 adding an object member", """{"foo":"bar"}""", """[{"op":"add","path":"/baz","value":"qux"}]""", """{"baz":"qux","foo":"bar"}""" },
        { "A.2 adding an array element", """{"foo":["bar","baz"]}""", """[{"op":"add","path":"/foo/1","value":"qux"}]""", """{"foo":["bar","qux","baz"]}""" },
        { "A.3 removing an object member", """{"baz":"qux","foo":"bar"}""", """[{"op":"remove","path":"/baz"}]""", """{"foo":"bar"}""" },
        { "A.4 removing an array element", """{"foo":["bar","qux","baz"]}""", """[{"op":"remove","path":"/foo/1"}]""", """{"foo":["bar","baz"]}""" },
        { "A.5 replacing a value", """{"baz":"qux","foo":"bar"}""", """[{"op":"replace","path":"/baz","value":"boo"}]""", """{"baz":"boo","foo":"bar"}""" },
        {
            "A.6 moving a value",
            """{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}""",
            """[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]""",
            """{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}"""
        },
        { "A.7 moving an array element", """{"foo":["all","grass","cows","eat"]}""", """[{"op":"move","from":"/foo/1","path":"/foo/3"}]""", """{"foo":["all","cows","eat","grass"]}""" },
        {
            "A.8 testing a value: success",
            """{"baz":"qux","foo":["a",2,"c"]}""",
            """[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]""",
            """{"baz":"qux","foo":["a",2,"c"]}"""
        },
        { "A.10 adding a nested member object", """{"foo":"bar"}""", """[{"op":"add","path":"/child","value":{"grandchild":{}}}]""", """{"foo":"bar","child":{"grandchild":{}}}""" },
        { "A.11 ignoring unrecognized elements", """{"foo":"bar"}""", """[{"op":"add","path":"/baz","value":"qux","xyz":123}]""", """{"foo":"bar","baz":"qux"}""" },
        { "A.14 ~ escape ordering", """{"/":9,"~1":10}""", """[{"op":"test","path":"/~01","value":10}]""", """{"/":9,"~1":10}""" },
        { "A.16 adding an array value", """{"foo":["bar"]}""", """[{"op":"add","path":"/foo/-","value":["abc","def"]}]""", """{"foo":["bar",["abc","def"]]}""" },
        { "copy", """{"a":{"b":1}}""", """[{"op":"copy","from":"/a","path":"/c"}]""", """{"a":{"b":1},"c":{"b":1}}""" },
        { "negative index counts from the end (v4)", """{"a":[1,2,3]}""", """[{"op":"remove","path":"/a/-1"}]""", """{"a":[1,2]}""" },
        { "replace of a missing member adds it (v4)", """{"a":1}""", """[{"op":"replace","path":"/b","value":2}]""", """{"a":1,"b":2}""" },
        { "replace of the root", """{"a":1}""", """[{"op":"replace","path":"","value":{"b":2}}]""", """{"b":2}""" },
        { "test null against a missing member", """{"a":1}""", """[{"op":"test","path":"/b","value":null}]""", """{"a":1}""" },
    };

    public static TheoryData<string, string, string, string> Failures => new()
    {
        { "A.9 testing a value: error", """{"baz":"qux"}""", """[{"op":"test","path":"/baz","value":"bar"}]""", "testing value /baz failed: test failed" },
        { "A.12 adding to a nonexistent target", """{"foo":"bar"}""", """[{"op":"add","path":"/baz/bat","value":"qux"}]""", "add operation does not apply: doc is missing path: \"/baz/bat\": missing value" },
        { "A.15 comparing strings and numbers", """{"/":9,"~1":10}""", """[{"op":"test","path":"/~01","value":"10"}]""", "testing value /~01 failed: test failed" },
        { "test on a replica count", """{"spec":{"replicas":3}}""", """[{"op":"test","path":"/spec/replicas","value":2}]""", "testing value /spec/replicas failed: test failed" },
        { "remove of a missing member", """{"metadata":{"labels":{}}}""", """[{"op":"remove","path":"/metadata/labels/app"}]""", "error in remove for path: '/metadata/labels/app': Unable to remove nonexistent key: app: missing value" },
        { "remove under a missing path", """{}""", """[{"op":"remove","path":"/x/y"}]""", "remove operation does not apply: doc is missing path: \"/x/y\": missing value" },
        { "replace under a missing path", """{}""", """[{"op":"replace","path":"/x/y","value":1}]""", "replace operation does not apply: doc is missing path: /x/y: missing value" },
        { "replace past the end of an array", """{"a":[1]}""", """[{"op":"replace","path":"/a/1","value":2}]""", "replace operation does not apply: doc is missing key: /a/1: missing value" },
        { "add past the end of an array", """{"a":[1]}""", """[{"op":"add","path":"/a/3","value":2}]""", "error in add for path: '/a/3': Unable to access invalid index: 3: invalid index referenced" },
        { "add with a bad array index", """{"a":[1]}""", """[{"op":"add","path":"/a/x","value":2}]""", "error in add for path: '/a/x': value was not a proper array index: 'x': strconv.Atoi: parsing \"x\": invalid syntax" },
        { "move from a missing member", """{"a":{}}""", """[{"op":"move","from":"/a/b","path":"/c"}]""", "error in move for path: 'b': Unable to remove nonexistent key: b: missing value" },
        { "copy from a missing member", """{"a":{}}""", """[{"op":"copy","from":"/a/b","path":"/c"}]""", "copy operation does not apply: doc is missing from path: /a/b: missing value" },
        { "unknown operation", """{}""", """[{"op":"frobnicate","path":"/a"}]""", "Unexpected kind: frobnicate" },
        { "missing path", """{}""", """[{"op":"add","value":1}]""", "add operation failed to decode path: missing value" },
        { "patch that is not a list", """{}""", """{"op":"add"}""", "json: cannot unmarshal object into Go value of type jsonpatch.Patch" },
    };

    [Theory]
    [MemberData(nameof(RfcExamples))]
    public void Apply_ValidPatch_GivesExpectedDocument(string description, string document, string patch, string expected)
    {
        Assert.NotEmpty(description);

        var result = JsonPatch.Apply(JsonNode.Parse(document)!, JsonNode.Parse(patch)!);

        JsonAssert.Equal(expected, result);
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public void Apply_FailingOperation_ThrowsWithUpstreamMessage(string description, string document, string patch, string message)
    {
        Assert.NotEmpty(description);

        var error = Assert.Throws<PatchException>(() => JsonPatch.Apply(JsonNode.Parse(document)!, JsonNode.Parse(patch)!));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Apply_FailureAfterEarlierOperations_LeavesDocumentUntouched()
    {
        var document = JsonNode.Parse("""{"a":1}""")!;

        Assert.Throws<PatchException>(() => JsonPatch.Apply(document, JsonNode.Parse("""[{"op":"add","path":"/b","value":2},{"op":"test","path":"/a","value":9}]""")!));

        JsonAssert.Equal("""{"a":1}""", document);
    }

    [Fact]
    public void Apply_RolloutUndo_ReplacesTheTemplateOnly()
    {
        // kubectl rollout undo sends the old ReplicaSet's template (without pod-template-hash) as one replace.
        var deployment = JsonNode.Parse("""
            {"metadata":{"name":"web","annotations":{"deployment.kubernetes.io/revision":"2"}},
             "spec":{"replicas":3,"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"nginx:1.26"}]}}}}
            """)!;
        var patch = JsonNode.Parse("""
            [{"op":"replace","path":"/spec/template","value":{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"nginx:1.25","resources":{}}]}}}]
            """)!;

        var result = JsonPatch.Apply(deployment, patch);

        JsonAssert.Equal("""
            {"metadata":{"name":"web","annotations":{"deployment.kubernetes.io/revision":"2"}},
             "spec":{"replicas":3,"template":{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"nginx:1.25","resources":{}}]}}}}
            """, result);
    }
}
