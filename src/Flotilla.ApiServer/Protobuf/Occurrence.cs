namespace Flotilla.ApiServer.Protobuf;

/// <summary>
/// One field value found on the wire: a varint or fixed value in <see cref="Value"/>, or the absolute position of a
/// length-delimited payload. <see cref="Order"/> keeps wire order among occurrences of the same field.
/// </summary>
internal readonly record struct Occurrence(int FieldIndex, int Order, WireType WireType, ulong Value, int Start, int Length);
