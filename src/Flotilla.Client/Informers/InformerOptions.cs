namespace Flotilla.Client.Informers;

/// <summary>What one informer lists and watches: all namespaces or one, narrowed by label and field selectors.</summary>
public sealed record InformerOptions
{
    public static InformerOptions All { get; } = new();

    public string? Namespace { get; init; }

    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }
}
