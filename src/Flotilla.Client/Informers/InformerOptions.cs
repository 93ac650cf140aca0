namespace Flotilla.Client.Informers;

/// <summary>What one informer lists and watches: all namespaces or one, narrowed by label and field selectors.</summary>
public sealed record InformerOptions
{
    public static InformerOptions All { get; } = new();

    public string? Namespace { get; init; }

    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>
    /// The resource to list and watch when the model does not name it: <see cref="ObjectMetadata"/> informers, which
    /// read only the metadata of any kind (the garbage collector's).
    /// </summary>
    public GroupVersionResource? Resource { get; init; }
}

/// <summary>A resource by its REST coordinates.</summary>
public sealed record GroupVersionResource(string Group, string Version, string Plural);
