using System.Text.Json.Nodes;

namespace Flotilla.ApiServer.OpenApi;

/// <summary>
/// The definitions upstream writes by hand rather than from a struct (they marshal as scalars or raw JSON), with
/// upstream's descriptions: Time, MicroTime, Quantity, IntOrString, RawExtension, FieldsV1 and Patch.
/// </summary>
internal static class WellKnownSchemas
{
    public static JsonObject Create(string name) => name switch
    {
        SchemaNames.Time => new JsonObject
        {
            ["description"] = "Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  Wrappers are provided for many of the factory methods that the time package offers.",
            ["format"] = "date-time",
            ["type"] = "string",
        },
        SchemaNames.MicroTime => new JsonObject
        {
            ["description"] = "MicroTime is version of Time with microsecond level precision.",
            ["format"] = "date-time",
            ["type"] = "string",
        },
        SchemaNames.Quantity => new JsonObject
        {
            ["description"] = "Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.\n\n"
                + "The serialization format is:\n\n``` <quantity>        ::= <signedNumber><suffix>\n\n\t(Note that <suffix> may be empty, from the \"\" case in <decimalSI>.)\n\n"
                + "<digit>           ::= 0 | 1 | ... | 9 <digits>          ::= <digit> | <digit><digits> <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits> <sign>            ::= \"+\" | \"-\" <signedNumber>    ::= <number> | <sign><number> <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI> <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei\n\n"
                + "\t(International System of units; See: http://physics.nist.gov/cuu/Units/binary.html)\n\n<decimalSI>       ::= m | \"\" | k | M | G | T | P | E\n\n"
                + "\t(Note that 1024 = 1Ki but 1000 = 1k; I didn't choose the capitalization.)\n\n<decimalExponent> ::= \"e\" <signedNumber> | \"E\" <signedNumber> ```\n\n"
                + "No matter which of the three exponent forms is used, no quantity may represent a number greater than 2^63-1 in magnitude, nor may it have more than 3 decimal places. Numbers larger or more precise will be capped or rounded up. (E.g.: 0.1m will rounded up to 1m.) This may be extended in the future if we require larger or smaller quantities.\n\n"
                + "Before serializing, Quantity will be put in \"canonical form\". This means that Exponent/suffix will be adjusted up or down (with a corresponding increase or decrease in Mantissa) such that:\n\n- No precision is lost - No fractional digits will be emitted - The exponent (or suffix) is as large as possible.\n\n"
                + "The sign will be omitted unless the number is negative.\n\nExamples:\n\n- 1.5 will be serialized as \"1500m\" - 1.5Gi will be serialized as \"1536Mi\"",
            ["oneOf"] = new JsonArray(new JsonObject { ["type"] = "string" }, new JsonObject { ["type"] = "number" }),
        },
        SchemaNames.IntOrString => new JsonObject
        {
            ["description"] = "IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.",
            ["format"] = "int-or-string",
            ["oneOf"] = new JsonArray(new JsonObject { ["type"] = "integer" }, new JsonObject { ["type"] = "string" }),
            ["x-kubernetes-int-or-string"] = true,
        },
        SchemaNames.RawExtension => new JsonObject
        {
            ["description"] = "RawExtension is used to hold extensions in external versions.",
            ["type"] = "object",
        },
        SchemaNames.FieldsV1 => new JsonObject
        {
            ["description"] = "FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.\n\n"
                + "Each key is either a '.' representing the field itself, and will always map to an empty set, or a string representing a sub-field or item. The string will follow one of these four formats: 'f:<name>', where <name> is the name of a field in a struct, or key in a map 'v:<value>', where <value> is the exact json formatted value of a list item 'i:<index>', where <index> is position of a item in a list 'k:<keys>', where <keys> is a map of  a list item's key fields to their unique values If a key maps to an empty Fields value, the field that key represents is part of the set.\n\n"
                + "The exact format is defined in sigs.k8s.io/structured-merge-diff",
            ["type"] = "object",
        },
        SchemaNames.Patch => new JsonObject
        {
            ["description"] = "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.",
            ["type"] = "object",
        },
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a well-known schema"),
    };
}
