namespace Flotilla.Api.Validation;

/// <summary>A bad value already printed as upstream prints it (a JSON list), for <see cref="FieldError"/> to show as is.</summary>
internal sealed record RenderedValue(string Text)
{
    public override string ToString() => Text;
}
