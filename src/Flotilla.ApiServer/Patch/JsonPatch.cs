using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flotilla.ApiServer.Patch;

/// <summary>
/// Applies an <c>application/json-patch+json</c> body (RFC 6902), as <c>kubectl rollout undo</c> and
/// <c>kubectl patch --type=json</c> send, with the behaviour and messages of evanphx/json-patch v4, which
/// kube-apiserver uses. The operations apply in order to a copy; the first failure fails the whole patch.
/// </summary>
public static class JsonPatch
{
    public static JsonNode Apply(JsonNode document, JsonNode patch)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document is not (JsonObject or JsonArray))
        {
            throw new PatchException($"json: cannot unmarshal {JsonKind(document)} into Go value of type jsonpatch.partialDoc");
        }

        if (patch is not JsonArray operations)
        {
            throw new PatchException($"json: cannot unmarshal {JsonKind(patch)} into Go value of type jsonpatch.Patch");
        }

        var root = document.DeepClone();
        foreach (var item in operations)
        {
            if (item is not JsonObject operation)
            {
                throw new PatchException($"json: cannot unmarshal {JsonKind(item)} into Go value of type jsonpatch.Operation");
            }

            var op = operation["op"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "unknown";
            switch (op)
            {
                case "add":
                    Add(root, operation);
                    break;
                case "remove":
                    Remove(root, operation);
                    break;
                case "replace":
                    root = Replace(root, operation);
                    break;
                case "move":
                    Move(root, operation);
                    break;
                case "test":
                    Test(root, operation);
                    break;
                case "copy":
                    Copy(root, operation);
                    break;
                default:
                    throw new PatchException($"Unexpected kind: {op}");
            }
        }

        return root;
    }

    private static void Add(JsonNode root, JsonObject operation)
    {
        var path = Member(operation, "path") ?? throw new PatchException("add operation failed to decode path: missing value");
        var container = JsonPointerContainer.Find(root, path)
            ?? throw new PatchException($"add operation does not apply: doc is missing path: \"{path}\": missing value");
        Wrap($"error in add for path: '{path}'", () => container.Add(Value(operation)));
    }

    private static void Remove(JsonNode root, JsonObject operation)
    {
        var path = Member(operation, "path") ?? throw new PatchException("remove operation failed to decode path: missing value");
        var container = JsonPointerContainer.Find(root, path)
            ?? throw new PatchException($"remove operation does not apply: doc is missing path: \"{path}\": missing value");
        Wrap($"error in remove for path: '{path}'", container.Remove);
    }

    private static JsonNode Replace(JsonNode root, JsonObject operation)
    {
        var path = Member(operation, "path")
            ?? throw new PatchException("replace operation failed to decode path: operation missing path field: missing value");
        if (path.Length == 0)
        {
            // v4 replaces the whole document when the pointer is the root (and silently ignores a scalar; this refuses it).
            return Value(operation) is JsonObject or JsonArray ? Value(operation)! : throw new PatchException("replace operation value must be object or array");
        }

        var container = JsonPointerContainer.Find(root, path)
            ?? throw new PatchException($"replace operation does not apply: doc is missing path: {path}: missing value");
        if (container.Node is JsonArray && !container.Has)
        {
            throw new PatchException($"replace operation does not apply: doc is missing key: {path}: missing value");
        }

        // v4 quirk kept: replacing a missing object member adds it rather than failing.
        Wrap($"error in remove for path: '{path}'", () => container.Set(Value(operation)));
        return root;
    }

    private static void Move(JsonNode root, JsonObject operation)
    {
        var from = Member(operation, "from")
            ?? throw new PatchException("move operation failed to decode from: operation, missing from field: missing value");
        var source = JsonPointerContainer.Find(root, from)
            ?? throw new PatchException($"move operation does not apply: doc is missing from path: {from}: missing value");
        var value = Wrap($"error in move for path: '{source.Key}'", source.Get);
        Wrap($"error in move for path: '{source.Key}'", source.Remove);

        var path = Member(operation, "path")
            ?? throw new PatchException("move operation failed to decode path: operation missing path field: missing value");
        var target = JsonPointerContainer.Find(root, path)
            ?? throw new PatchException($"move operation does not apply: doc is missing destination path: {path}: missing value");
        Wrap($"error in move for path: '{path}'", () => target.Add(value));
    }

    private static void Test(JsonNode root, JsonObject operation)
    {
        var path = Member(operation, "path")
            ?? throw new PatchException("test operation failed to decode path: operation missing path field: missing value");
        var container = JsonPointerContainer.Find(root, path)
            ?? throw new PatchException($"test operation does not apply: is missing path: {path}: missing value");
        var actual = Wrap($"error in test for path: '{path}'", container.Get);
        var expected = Value(operation);

        // A missing member and JSON null read alike, as upstream decodes both to a nil node.
        if (IsNull(actual) ? !IsNull(expected) : IsNull(expected) || !JsonNode.DeepEquals(actual, expected))
        {
            throw new PatchException($"testing value {path} failed: test failed");
        }
    }

    private static void Copy(JsonNode root, JsonObject operation)
    {
        var from = Member(operation, "from")
            ?? throw new PatchException("copy operation failed to decode from: operation, missing from field: missing value");
        // v4 would copy a missing member as null; a missing source is refused here, as RFC 6902 asks.
        var source = JsonPointerContainer.Find(root, from);
        if (source is not { } found || (found.Node is JsonObject && !found.Has))
        {
            throw new PatchException($"copy operation does not apply: doc is missing from path: {from}: missing value");
        }

        var value = Wrap($"error in copy for from: '{from}'", found.Get)?.DeepClone();
        var path = Member(operation, "path") ?? throw new PatchException("copy operation failed to decode path: missing value");
        var target = JsonPointerContainer.Find(root, path)
            ?? throw new PatchException($"copy operation does not apply: doc is missing destination path: {path}: missing value");
        Wrap("error while adding value during copy", () => target.Add(value));
    }

    // A string member; null when absent or JSON null, as upstream reads "operation missing path field".
    private static string? Member(JsonObject operation, string name)
    {
        var node = operation[name];
        if (node is null || node.GetValueKind() == JsonValueKind.Null)
        {
            return null;
        }

        return node.GetValueKind() == JsonValueKind.String
            ? node.GetValue<string>()
            : throw new PatchException($"json: cannot unmarshal {JsonKind(node)} into Go value of type string");
    }

    private static JsonNode? Value(JsonObject operation) => operation["value"]?.DeepClone();

    private static bool IsNull(JsonNode? node) => node is null || node.GetValueKind() == JsonValueKind.Null;

    private static void Wrap(string context, Action action) => Wrap(context, () =>
    {
        action();
        return 0;
    });

    private static T Wrap<T>(string context, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (PatchException e)
        {
            throw new PatchException($"{context}: {e.Message}", e);
        }
    }

    private static string JsonKind(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => "null",
    };
}
