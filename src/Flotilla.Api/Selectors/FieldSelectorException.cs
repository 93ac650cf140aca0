namespace Flotilla.Api.Selectors;

/// <summary>A field selector that does not parse; the message is upstream's, word for word.</summary>
public sealed class FieldSelectorException : FormatException
{
    public FieldSelectorException()
    {
    }

    public FieldSelectorException(string message)
        : base(message)
    {
    }

    public FieldSelectorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
