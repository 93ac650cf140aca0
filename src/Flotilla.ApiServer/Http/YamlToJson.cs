using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flotilla.Api.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Flotilla.ApiServer.Http;

/// <summary>YAML 1.2 core-schema scalars to JSON (sigs.k8s.io/yaml converts the same way: unquoted true/1/null are typed).</summary>
public static class YamlToJson
{
    public static byte[] Convert(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw StatusException.BadRequest($"error converting YAML to JSON: {e.Message}");
        }

        if (stream.Documents.Count == 0)
        {
            return "null"u8.ToArray();
        }

        return JsonSerializer.SerializeToUtf8Bytes(ToNode(stream.Documents[0].RootNode));
    }

    private static JsonNode? ToNode(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? string.Empty, ToNode(kv.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(ToNode)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
            _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && text.Any(char.IsDigit) => JsonValue.Create(d),
            _ => JsonValue.Create(text),
        };
    }
}
