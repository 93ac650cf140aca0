namespace Flotilla.ApiServer.Protobuf;

internal enum FieldCardinality
{
    Single,
    Repeated,

    /// <summary>A proto map (repeated key/value entries) with string keys, written as a JSON object.</summary>
    Map,
}
