namespace Flotilla.Api.Resources;

/// <summary>
/// One served resource: its group/version/kind, URL name, scope, the names kubectl resolves (short names,
/// categories), its subresources and the model type its objects decode to.
/// </summary>
public sealed record ResourceInfo
{
    public required string Group { get; init; }

    public required string Version { get; init; }

    public required string Kind { get; init; }

    /// <summary>The URL segment: <c>pods</c>, <c>deployments</c>.</summary>
    public required string Plural { get; init; }

    public required bool Namespaced { get; init; }

    /// <summary>The <c>k8s.Models</c> type of one object (e.g. <c>V1Pod</c>).</summary>
    public required Type ModelType { get; init; }

    public string Singular => Kind.ToLowerInvariant();

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Subresources served under <c>&lt;plural&gt;/&lt;name&gt;/&lt;sub&gt;</c>: <c>status</c>, <c>scale</c>, <c>binding</c>, <c>token</c>.</summary>
    public IReadOnlyList<string> Subresources { get; init; } = [];

    public IReadOnlyList<string> Verbs { get; init; } = StandardVerbs;

    /// <summary>
    /// For a kind also served in another version (autoscaling/v1 beside v2, events.k8s.io beside core events): the
    /// resource whose form is stored; objects are converted on the way in and out. Null for the storage version.
    /// </summary>
    public ResourceInfo? StoredAs { get; init; }

    /// <summary>
    /// A kind never stored: request-only (access reviews, created to get an answer) or computed (metrics, read
    /// only); its verbs say which.
    /// </summary>
    public bool Virtual { get; init; }

    /// <summary><c>v1</c> for the core group, else <c>group/version</c>, as in <c>apiVersion</c>.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string ListKind => Kind + "List";

    /// <summary>Where objects live in the store: <c>/registry/&lt;group&gt;/&lt;plural&gt;/</c> (core: no group segment).</summary>
    public string StoragePrefix => StoredAs?.StoragePrefix ?? (Group.Length == 0 ? $"/registry/{Plural}/" : $"/registry/{Group}/{Plural}/");

    public static IReadOnlyList<string> StandardVerbs { get; } =
        ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public string StorageKey(string? ns, string name) =>
        Namespaced ? $"{StoragePrefix}{ns}/{name}" : $"{StoragePrefix}{name}";

    public string NamespacePrefix(string? ns) => Namespaced && !string.IsNullOrEmpty(ns) ? $"{StoragePrefix}{ns}/" : StoragePrefix;
}
