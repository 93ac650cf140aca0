namespace Flotilla.ApiServer.Protobuf;

/// <summary>
/// What a field holds: a proto2 scalar, a message of the schema, or one of apimachinery's messages whose JSON form
/// is not an object (metav1.Time, resource.Quantity, intstr.IntOrString, runtime.RawExtension, ...).
/// </summary>
internal enum ValueKind
{
    Bool,
    Int32,
    Int64,
    String,
    Bytes,
    Message,

    /// <summary>metav1.Time {seconds, nanos}: RFC 3339 in whole seconds, null when zero.</summary>
    Time,

    /// <summary>metav1.MicroTime {seconds, nanos}: RFC 3339 with six fractional digits, null when zero.</summary>
    MicroTime,

    /// <summary>metav1.Duration {duration (ns)}: Go's time.Duration string ("1h0m0s").</summary>
    Duration,

    /// <summary>resource.Quantity {string}: the string itself.</summary>
    Quantity,

    /// <summary>intstr.IntOrString {type, intVal, strVal}: a number or a string.</summary>
    IntOrString,

    /// <summary>runtime.RawExtension / metav1.FieldsV1 {raw}: the raw bytes, which are JSON, embedded as-is.</summary>
    RawJson,

    /// <summary>A named []string with a message wrapper {repeated string items} (authentication's ExtraValue): an array.</summary>
    StringList,
}
