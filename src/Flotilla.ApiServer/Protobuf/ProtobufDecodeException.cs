namespace Flotilla.ApiServer.Protobuf;

/// <summary>
/// A request body that is not a well-formed Kubernetes protobuf object this server knows: wrong envelope, malformed
/// wire data, a kind without a schema, or an object whose JSON form cannot be written. The message names the problem.
/// </summary>
public sealed class ProtobufDecodeException : Exception
{
    public ProtobufDecodeException()
    {
    }

    public ProtobufDecodeException(string message)
        : base(message)
    {
    }

    public ProtobufDecodeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
