using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Flotilla.ApiServer.Patch;

/// <summary>
/// Reflection over <c>k8s.Models</c> types: the JSON name of each property (its <see cref="JsonPropertyNameAttribute"/>)
/// and what the property holds, so a patch walk can step from <c>V1Deployment</c> down to <c>V1Container</c>.
/// </summary>
internal static class ModelFields
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, Type>> Cache = new();

    /// <summary>JSON field name → property type, for a type with named fields; empty for any other type.</summary>
    public static IReadOnlyDictionary<string, Type> Of(Type type) => Cache.GetOrAdd(type, Read);

    /// <summary>What a property of <paramref name="type"/> holds, and the item/value type for lists and maps.</summary>
    public static (PatchFieldKind Kind, Type? ValueType) Classify(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(object) || type == typeof(System.Text.Json.JsonElement) || typeof(System.Text.Json.Nodes.JsonNode).IsAssignableFrom(type))
        {
            return (PatchFieldKind.Unknown, null);
        }

        if (type == typeof(string) || type == typeof(byte[]) || type.IsValueType)
        {
            return (PatchFieldKind.Scalar, null);
        }

        if (DictionaryValueType(type) is { } value)
        {
            return (PatchFieldKind.Map, value);
        }

        if (ListItemType(type) is { } item)
        {
            return (PatchFieldKind.List, item);
        }

        // IntOrString and ResourceQuantity are classes but serialise as scalars: they have no named fields.
        return Of(type).Count == 0 ? (PatchFieldKind.Scalar, null) : (PatchFieldKind.Object, type);
    }

    private static IReadOnlyDictionary<string, Type> Read(Type type)
    {
        var fields = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<JsonPropertyNameAttribute>() is { } name)
            {
                fields[name.Name] = property.PropertyType;
            }
        }

        return fields;
    }

    private static Type? DictionaryValueType(Type type) =>
        GenericInterface(type, typeof(IDictionary<,>)) is { } dictionary && dictionary.GetGenericArguments()[0] == typeof(string)
            ? dictionary.GetGenericArguments()[1]
            : null;

    private static Type? ListItemType(Type type) =>
        type.IsArray ? type.GetElementType() : GenericInterface(type, typeof(IEnumerable<>))?.GetGenericArguments()[0];

    private static Type? GenericInterface(Type type, Type definition) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == definition
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition);
}
