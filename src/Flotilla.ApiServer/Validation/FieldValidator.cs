using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flotilla.ApiServer.Validation;

/// <summary>
/// kube-apiserver's strict decoding (sigs.k8s.io/json <c>UnmarshalStrict</c>) as one pass over the request JSON: keys the
/// model type has no field for, and keys repeated within one object (struct fields and map keys alike), in document
/// order, each message once, at most 100. Paths read as upstream's: <c>spec.template.spec.containers[0].foo</c>.
/// </summary>
/// <remarks>
/// As upstream, the value under an unknown key is not looked into (it is dropped whole), and free-form values
/// (<c>object</c> properties: RawExtension, FieldsV1, which have their own unmarshalers in Go) are not checked either.
/// </remarks>
public static class FieldValidator
{
    /// <summary>
    /// The findings for <paramref name="json"/> decoded into <paramref name="modelType"/> (e.g. <c>V1Deployment</c>);
    /// a null type decodes untyped, as into <c>map[string]interface{}</c>, where only duplicates exist.
    /// Malformed JSON throws <see cref="JsonException"/>.
    /// </summary>
    public static IReadOnlyList<StrictFieldError> Check(ReadOnlySpan<byte> json, Type? modelType)
    {
        var reader = new Utf8JsonReader(json);
        var walk = new StrictFieldWalk();
        if (reader.Read())
        {
            walk.Value(ref reader, modelType, untyped: modelType is null);
        }

        return walk.Errors;
    }

    /// <summary>Unknown fields of an already parsed object (a patched result); a parsed node has no duplicates left.</summary>
    public static IReadOnlyList<StrictFieldError> Check(JsonNode json, Type modelType)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Check(JsonSerializer.SerializeToUtf8Bytes(json), modelType);
    }
}
