namespace Flotilla.Api.Selectors;

/// <summary>A label selector that does not parse or validate; the message is upstream's, word for word.</summary>
public sealed class LabelSelectorException : FormatException
{
    public LabelSelectorException()
    {
    }

    public LabelSelectorException(string message)
        : base(message)
    {
    }

    public LabelSelectorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
