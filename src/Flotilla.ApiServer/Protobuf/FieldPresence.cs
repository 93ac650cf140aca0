namespace Flotilla.ApiServer.Protobuf;

/// <summary>
/// How a singular field appears in the Go JSON form. Kubernetes' generated marshalers always write non-pointer
/// fields, even when zero, so presence on the wire alone cannot decide whether JSON shows a zero value.
/// </summary>
internal enum FieldPresence
{
    /// <summary>A Go value with <c>omitempty</c>: written only when present and not zero/empty.</summary>
    OmitEmpty,

    /// <summary>A Go pointer (schema flag <c>?</c>): written whenever present, zero included (proto2 optional).</summary>
    Pointer,

    /// <summary>A Go value without <c>omitempty</c>, or a struct (schema flag <c>!</c>): always written, its zero value when absent.</summary>
    Value,
}
