namespace Flotilla.ApiServer.Printing;

/// <summary>
/// One <c>meta.k8s.io/v1</c> TableColumnDefinition. <see cref="Priority"/> 1 marks a column kubectl shows only
/// with <c>-o wide</c>; the server still sends its cells.
/// </summary>
public sealed record TableColumn(string Name, string Type, string Format, string Description, int Priority)
{
    public static TableColumn String(string name, string description, int priority = 0) =>
        new(name, "string", "", description, priority);

    public static TableColumn Integer(string name, string description, int priority = 0) =>
        new(name, "integer", "", description, priority);

    public static TableColumn Boolean(string name, string description, int priority = 0) =>
        new(name, "boolean", "", description, priority);
}
