using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flotilla.Api.Serialization;
using Flotilla.ApiServer.Protobuf;
using Flotilla.ApiServer.Registry;
using Flotilla.ApiServer.Tests.Patch;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Protobuf;

/// <summary>Decoding the bodies kubectl 1.32 sent (testdata/*.pb) gives what kubectl prints for --dry-run=client -o json.</summary>
public sealed class KubernetesProtobufTests
{
    [Theory]
    [MemberData(nameof(KubectlCase.Names), MemberType = typeof(KubectlCase))]
    public void ToJson_KubectlBody_EqualsTheGoldenJson(string name)
    {
        var (apiVersion, kind, json) = KubernetesProtobuf.ToJson(Golden.Read($"{name}.pb"));
        if (Golden.Update && !KubectlCase.Named(name).HasDryRun)
        {
            // Without a dry run to print it, the expected JSON is this output once reviewed.
            Golden.Write($"{name}.json", Encoding.UTF8.GetBytes(JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"));
        }

        var expected = Encoding.UTF8.GetString(Golden.Read($"{name}.json"));

        var expectedNode = JsonNode.Parse(expected)!;
        Assert.Equal((string?)expectedNode["apiVersion"], apiVersion);
        Assert.Equal((string?)expectedNode["kind"], kind);
        JsonAssert.Equal(expected, JsonNode.Parse(json));
    }

    [Theory]
    [MemberData(nameof(KubectlCase.Names), MemberType = typeof(KubectlCase))]
    public void ToJson_KubectlBody_DeserializesIntoItsModel(string name)
    {
        var (apiVersion, kind, json) = KubernetesProtobuf.ToJson(Golden.Read($"{name}.pb"));
        var model = KubernetesModels.TypeOf(apiVersion, kind);

        var obj = (IKubernetesObject<V1ObjectMeta>)JsonSerializer.Deserialize(json, model, KubernetesJsonOptions.Value)!;

        Assert.Equal((string?)JsonNode.Parse(Golden.Read($"{name}.json"))!["metadata"]!["name"], obj.Metadata.Name);
        Assert.Equal(kind, obj.Kind);
    }

    [Fact]
    public void ToJson_Deployment_KeepsTheZeroValuesGoWrites()
    {
        var json = JsonNode.Parse(KubernetesProtobuf.ToJson(Golden.Read("deployment.pb")).Json)!;

        // kubectl encodes every non-pointer field (name "", generation 0, ...); only the omitempty ones drop out.
        JsonAssert.Equal("""{"name":"web","creationTimestamp":null,"labels":{"app":"web"}}""", json["metadata"]);
        JsonAssert.Equal("""[{"name":"busybox","image":"busybox:1.35","ports":[{"containerPort":80}],"resources":{}}]""", json["spec"]!["template"]!["spec"]!["containers"]);
    }
}
