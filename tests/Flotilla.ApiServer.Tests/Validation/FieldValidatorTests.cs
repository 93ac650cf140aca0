using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flotilla.ApiServer.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Validation;

public sealed class FieldValidatorTests
{
    // The body of upstream's field validation integration test (test/integration/apiserver/field_validation_test.go).
    private const string UpstreamInvalidDeployment = """
        {
          "apiVersion": "apps/v1",
          "kind": "Deployment",
          "metadata": {
            "name": "dupename",
            "name": "test-deployment",
            "unknownMeta": "metaVal",
            "labels": {"app": "nginx"}
          },
          "spec": {
            "unknown1": "val1",
            "unknownDupe": "valDupe",
            "unknownDupe": "valDupe2",
            "paused": true,
            "paused": false,
            "selector": {"matchLabels": {"app": "nginx"}},
            "template": {
              "metadata": {"labels": {"app": "nginx"}},
              "spec": {
                "containers": [{
                  "name": "nginx",
                  "image": "nginx:latest",
                  "unknownNested": "val1",
                  "imagePullPolicy": "Always",
                  "imagePullPolicy": "Never"
                }]
              }
            }
          }
        }
        """;

    [Fact]
    public void Check_UpstreamInvalidDeployment_FindsUpstreamsErrorsInOrder()
    {
        var errors = FieldValidator.Check(Encoding.UTF8.GetBytes(UpstreamInvalidDeployment), typeof(V1Deployment));

        Assert.Equal(
            [
                "duplicate field \"metadata.name\"",
                "unknown field \"metadata.unknownMeta\"",
                "unknown field \"spec.unknown1\"",
                "unknown field \"spec.unknownDupe\"",
                "duplicate field \"spec.paused\"",
                "unknown field \"spec.template.spec.containers[0].unknownNested\"",
                "duplicate field \"spec.template.spec.containers[0].imagePullPolicy\"",
            ],
            errors.Select(e => e.Message));
    }

    [Theory]
    [InlineData("""{"spec":{"containers":[{"name":"a"},{"name":"b","foo":1}]}}""", "unknown field \"spec.containers[1].foo\"")]
    [InlineData("""{"spec":{"containers":[{"name":"a","ports":[{"containerPort":80,"bogus":true}]}]}}""", "unknown field \"spec.containers[0].ports[0].bogus\"")]
    [InlineData("""{"metadata":{"labels":{"a":"1","a":"2"}}}""", "duplicate field \"metadata.labels.a\"")]
    [InlineData("""{"kind":"Pod","kind":"Pod"}""", "duplicate field \"kind\"")]
    [InlineData("""{"foo":{"bar":1}}""", "unknown field \"foo\"")]
    [InlineData("""{"spec":{"containers":[{"name":"a","resources":{"limits":{"cpu":"1","cpu":"2"}}}]}}""", "duplicate field \"spec.containers[0].resources.limits.cpu\"")]
    [InlineData("""{"spec":{"containers":[{"name":"a","Image":"nginx"}]}}""", "unknown field \"spec.containers[0].Image\"")]
    [InlineData("""{"spec":{"nodeSelector":{"a":"1"},"overhead":{"x":"1"},"volumes":[{"name":"v","emptyDir":{"medium":"","bogus":1}}]}}""", "unknown field \"spec.volumes[0].emptyDir.bogus\"")]
    [InlineData("""{"metadata":{"name":"a\"b"},"x\"y":1}""", "unknown field \"x\\\"y\"")]
    public void Check_Pod_ReportsOne(string json, string expected)
    {
        var error = Assert.Single(FieldValidator.Check(Encoding.UTF8.GetBytes(json), typeof(V1Pod)));

        Assert.Equal(expected, error.Message);
    }

    [Theory]
    [InlineData("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","labels":{"any.key/x":"1"},"annotations":{"k":"v"}},"spec":{"containers":[{"name":"a","image":"i"}]}}""")]
    [InlineData("""{"spec":{"containers":[{"name":"a","ports":[{"containerPort":80}],"resources":{"limits":{"cpu":"100m","memory":1024}}}]}}""")]
    [InlineData("""{"spec":{"containers":[{"name":"a","livenessProbe":{"httpGet":{"port":8080}},"readinessProbe":{"httpGet":{"port":"http"}}}]}}""")]
    [InlineData("""{"metadata":{"creationTimestamp":null,"managedFields":[{"manager":"m","fieldsV1":{"f:spec":{"f:anything":{}}}}]}}""")]
    [InlineData("""{"spec":null,"status":{}}""")]
    public void Check_ValidPod_FindsNothing(string json)
    {
        Assert.Empty(FieldValidator.Check(Encoding.UTF8.GetBytes(json), typeof(V1Pod)));
    }

    [Fact]
    public void Check_RawExtension_IsFreeForm()
    {
        var json = """{"apiVersion":"apps/v1","kind":"ControllerRevision","data":{"spec":{"anything":1,"anything":2}},"revision":1}""";

        Assert.Empty(FieldValidator.Check(Encoding.UTF8.GetBytes(json), typeof(V1ControllerRevision)));
    }

    [Fact]
    public void Check_UnknownFieldValue_IsNotLookedInto()
    {
        var json = """{"spec":{"bogus":{"a":1,"a":2,"containers":[{"x":1}]}}}""";

        Assert.Equal(["unknown field \"spec.bogus\""], FieldValidator.Check(Encoding.UTF8.GetBytes(json), typeof(V1Pod)).Select(e => e.Message));
    }

    [Fact]
    public void Check_Untyped_FindsDuplicatesOnly()
    {
        var json = """{"spec":{"whatever":1,"template":{"x":[{"k":1,"k":2}]},"whatever":3}}""";

        Assert.Equal(
            ["duplicate field \"spec.template.x[0].k\"", "duplicate field \"spec.whatever\""],
            FieldValidator.Check(Encoding.UTF8.GetBytes(json), null).Select(e => e.Message));
    }

    [Fact]
    public void Check_TopLevelArray_PathStartsWithIndex()
    {
        var errors = FieldValidator.Check("""[{"a":1,"a":2}]"""u8, null);

        Assert.Equal("duplicate field \"[0].a\"", Assert.Single(errors).Message);
    }

    [Fact]
    public void Check_ManyUnknownFields_StopsAt100()
    {
        var json = "{" + string.Join(",", Enumerable.Range(0, 150).Select(i => $"\"f{i}\":{i}")) + "}";

        Assert.Equal(100, FieldValidator.Check(Encoding.UTF8.GetBytes(json), typeof(V1Pod)).Count);
    }

    [Fact]
    public void Check_MalformedJson_Throws()
    {
        Assert.ThrowsAny<JsonException>(() => FieldValidator.Check("""{"spec":"""u8, typeof(V1Pod)));
    }

    [Fact]
    public void Check_ParsedNode_FindsUnknownFields()
    {
        var node = JsonNode.Parse("""{"spec":{"replicas":1,"replica":2}}""")!;

        var error = Assert.Single(FieldValidator.Check(node, typeof(V1Deployment)));

        Assert.Equal(new StrictFieldError(StrictFieldErrorKind.Unknown, "spec.replica"), error);
    }
}
