namespace Flotilla.ApiServer.OpenApi;

/// <summary>Where a value schema sits, which decides how upstream writes a <c>$ref</c> there.</summary>
internal enum SchemaPosition
{
    /// <summary>A property: <c>allOf: [{$ref}]</c>, leaving room for the description beside it.</summary>
    Property,

    /// <summary>A list item: <c>allOf</c> with <c>default: {}</c> for struct items.</summary>
    Item,

    /// <summary>A map value: a bare <c>$ref</c>.</summary>
    MapValue,
}
