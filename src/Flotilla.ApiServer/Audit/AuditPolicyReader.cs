using System.Text.Json;
using Flotilla.Api.Errors;
using Flotilla.Api.Validation;
using Flotilla.ApiServer.Http;

namespace Flotilla.ApiServer.Audit;

/// <summary>
/// Reads an <c>audit.k8s.io/v1</c> <c>Policy</c> (YAML or JSON) and validates it as kube-apiserver does: known levels
/// and stages, non-resource URLs that start with <c>/</c> and end any wildcard, rules that name resources or URLs but
/// not both, and at least one rule. Unknown fields are ignored, as upstream's decoder does.
/// </summary>
public static class AuditPolicyReader
{
    private const string ApiVersion = "audit.k8s.io/v1";
    private static readonly string[] Levels = [.. Enum.GetNames<AuditLevel>()];
    private static readonly string[] Stages = [.. Enum.GetNames<AuditStage>()];

    public static AuditPolicy ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AuditPolicyException($"failed to read file path \"{path}\": {e.Message}", e);
        }

        try
        {
            return Read(text);
        }
        catch (AuditPolicyException e)
        {
            throw new AuditPolicyException($"{e.Message}: from file {path}", e);
        }
    }

    public static AuditPolicy Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(YamlToJson.Convert(text));
            root = document.RootElement.Clone();
        }
        catch (Exception e) when (e is StatusException or JsonException)
        {
            throw new AuditPolicyException($"failed decoding: {e.Message}", e);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new AuditPolicyException("failed decoding: the policy is not an object");
        }

        var apiVersion = String(root, "apiVersion");
        var kind = String(root, "kind");
        if (apiVersion != ApiVersion || kind != "Policy")
        {
            throw new AuditPolicyException($"failed decoding: expected apiVersion {ApiVersion} and kind Policy, got \"{apiVersion}\" and \"{kind}\"");
        }

        var errors = new List<FieldError>();
        var rules = Items(root, "rules").Select((r, i) => Rule(r, $"rules[{i}]", errors)).ToList();
        var policy = new AuditPolicy
        {
            Rules = rules,
            OmitStages = StageList(root, "omitStages", "omitStages", errors),
            OmitManagedFields = Bool(root, "omitManagedFields") ?? false,
        };
        if (errors.Count > 0)
        {
            throw new AuditPolicyException(ErrorAggregate.Message(errors));
        }

        return rules.Count == 0 ? throw new AuditPolicyException("loaded illegal policy with 0 rules") : policy;
    }

    private static AuditPolicyRule Rule(JsonElement rule, string path, List<FieldError> errors)
    {
        var levelText = String(rule, "level") ?? string.Empty;
        var level = AuditLevel.None;
        if (levelText.Length == 0)
        {
            errors.Add(FieldError.Required($"{path}.level"));
        }
        else if (Levels.Contains(levelText))
        {
            level = Enum.Parse<AuditLevel>(levelText);
        }
        else
        {
            errors.Add(FieldError.NotSupported($"{path}.level", levelText, Levels));
        }

        var urls = Strings(rule, "nonResourceURLs");
        for (var i = 0; i < urls.Count; i++)
        {
            var url = urls[i];
            if (url == "*")
            {
                continue;
            }

            if (!url.StartsWith('/'))
            {
                errors.Add(FieldError.Invalid($"{path}.nonResourceURLs[{i}]", url, "non-resource URL rules must begin with a '/' character"));
            }

            if (url.Length > 0 && url.AsSpan(0, url.Length - 1).Contains('*'))
            {
                errors.Add(FieldError.Invalid($"{path}.nonResourceURLs[{i}]", url, "non-resource URL wildcards '*' must be the final character of the rule"));
            }
        }

        var resources = Items(rule, "resources").Select(g => new AuditGroupResources(String(g, "group") ?? string.Empty, Strings(g, "resources"), Strings(g, "resourceNames"))).ToList();
        foreach (var group in resources)
        {
            if (group.Group.Length > 0 && NameValidation.IsDns1123Subdomain(group.Group) is { Count: > 0 } messages)
            {
                errors.Add(FieldError.Invalid($"{path}.resources.group", group.Group, string.Join(",", messages)));
            }

            if (group.ResourceNames.Count > 0 && group.Resources.Count == 0)
            {
                errors.Add(FieldError.Invalid($"{path}.resources.resourceNames", string.Join(",", group.ResourceNames), "using resourceNames requires at least one resource"));
            }
        }

        var namespaces = Strings(rule, "namespaces");
        if (urls.Count > 0 && (resources.Count > 0 || namespaces.Count > 0))
        {
            errors.Add(FieldError.Invalid($"{path}.nonResourceURLs", string.Join(",", urls), "rules cannot apply to both regular resources and non-resource URLs"));
        }

        return new AuditPolicyRule
        {
            Level = level,
            Users = Strings(rule, "users"),
            UserGroups = Strings(rule, "userGroups"),
            Verbs = Strings(rule, "verbs"),
            Resources = resources,
            Namespaces = namespaces,
            NonResourceUrls = urls,
            OmitStages = StageList(rule, "omitStages", $"{path}.omitStages", errors),
            OmitManagedFields = Bool(rule, "omitManagedFields"),
        };
    }

    private static List<AuditStage> StageList(JsonElement parent, string name, string path, List<FieldError> errors)
    {
        var stages = new List<AuditStage>();
        var texts = Strings(parent, name);
        for (var i = 0; i < texts.Count; i++)
        {
            if (Stages.Contains(texts[i]))
            {
                stages.Add(Enum.Parse<AuditStage>(texts[i]));
            }
            else
            {
                errors.Add(FieldError.Invalid($"{path}[{i}]", texts[i], "allowed stages are " + string.Join(",", Stages)));
            }
        }

        return stages;
    }

    private static IEnumerable<JsonElement> Items(JsonElement parent, string name) =>
        Property(parent, name) switch
        {
            null => [],
            { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().Select(Object),
            var other => throw Decoding(name, "an array", other.Value),
        };

    private static JsonElement Object(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object ? element : throw Decoding("item", "an object", element);

    private static List<string> Strings(JsonElement parent, string name) =>
        Property(parent, name) switch
        {
            null => [],
            { ValueKind: JsonValueKind.Array } array => [.. array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Decoding(name, "a list of strings", array))],
            var other => throw Decoding(name, "a list of strings", other.Value),
        };

    private static string? String(JsonElement parent, string name) =>
        Property(parent, name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.String } value => value.GetString(),
            var other => throw Decoding(name, "a string", other.Value),
        };

    private static bool? Bool(JsonElement parent, string name) =>
        Property(parent, name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.True } => true,
            { ValueKind: JsonValueKind.False } => false,
            var other => throw Decoding(name, "a boolean", other.Value),
        };

    private static JsonElement? Property(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static AuditPolicyException Decoding(string field, string expected, JsonElement actual) =>
        new($"failed decoding: {field}: expected {expected}, got {actual.GetRawText()}");
}
