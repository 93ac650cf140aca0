using System.Globalization;

namespace Flotilla.ApiServer.Registry.Validation;

/// <summary>
/// A field path as upstream's field.Path prints it: <c>spec.containers[0].image</c>, <c>data[key]</c>. A path whose
/// root has no name prints as <c>[]</c>, as upstream's <c>field.NewPath("")</c> does for whole-object errors.
/// </summary>
public readonly record struct FieldPath
{
    private readonly string? _text;

    private FieldPath(string text) => _text = text;

    public static FieldPath Root(string name) => new(name.Length == 0 ? "[]" : name);

    public FieldPath Child(string name) => new(_text is null or "" ? name : $"{_text}.{name}");

    public FieldPath Child(string name, params string[] more)
    {
        var path = Child(name);
        foreach (var next in more)
        {
            path = path.Child(next);
        }

        return path;
    }

    public FieldPath Index(int index) => new($"{_text}[{index.ToString(CultureInfo.InvariantCulture)}]");

    /// <summary>A map key, unquoted as upstream prints it: <c>limits[cpu]</c>.</summary>
    public FieldPath Key(string key) => new($"{_text}[{key}]");

    public override string ToString() => _text ?? string.Empty;

    public static implicit operator string(FieldPath path) => path.ToString();
}
