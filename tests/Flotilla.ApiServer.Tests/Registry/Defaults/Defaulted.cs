using System.Text.Json.Nodes;
using Flotilla.Api.Defaults;
using k8s;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

/// <summary>Manifests in, defaulted objects out, through the same JSON shape a client sends and receives.</summary>
internal static class Defaulted
{
    /// <summary>Decodes the manifest as <typeparamref name="T"/>, applies the kind's defaults and encodes it again.</summary>
    public static JsonNode Json<T>(string manifest)
        where T : class
    {
        var obj = Object<T>(manifest);
        return JsonNode.Parse(KubernetesJson.Serialize(obj))!;
    }

    public static T Object<T>(string manifest)
        where T : class
    {
        var obj = KubernetesJson.Deserialize<T>(manifest);
        KindDefaults.Apply(obj);
        return obj;
    }

    /// <summary>An object of which only the spec matters.</summary>
    public static JsonNode SpecJson<T>(string spec)
        where T : class => Json<T>("{\"spec\":" + spec + "}");

    public static T SpecObject<T>(string spec)
        where T : class => Object<T>("{\"spec\":" + spec + "}");

    /// <summary>The node at a dotted path ("spec.template.spec"), numbers indexing arrays.</summary>
    public static JsonNode? At(this JsonNode node, string path) =>
        path.Split('.').Aggregate<string, JsonNode?>(node, (n, part) => int.TryParse(part, out var i) ? n?[i] : n?[part]);
}
