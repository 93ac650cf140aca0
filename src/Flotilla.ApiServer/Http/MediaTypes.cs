namespace Flotilla.ApiServer.Http;

public static class MediaTypes
{
    public const string Json = "application/json";
    public const string Yaml = "application/yaml";
    public const string Protobuf = "application/vnd.kubernetes.protobuf";
    public const string JsonPatch = "application/json-patch+json";
    public const string MergePatch = "application/merge-patch+json";
    public const string StrategicMergePatch = "application/strategic-merge-patch+json";
    public const string ApplyPatch = "application/apply-patch+yaml";
    public const string Table = "application/json;as=Table;v=v1;g=meta.k8s.io";

    /// <summary>Whether the Accept header asks for a meta.k8s.io Table (what kubectl get sends first).</summary>
    public static bool WantsTable(string? accept) =>
        accept is not null && accept.Split(',').Select(a => a.Trim()).FirstOrDefault() is { } first &&
        first.Contains("as=Table", StringComparison.Ordinal) && first.Contains("g=meta.k8s.io", StringComparison.Ordinal);

    /// <summary>The media type without parameters, lower-cased.</summary>
    public static string Essence(string? contentType) =>
        (contentType ?? string.Empty).Split(';')[0].Trim().ToLowerInvariant();
}
