namespace Flotilla.ApiServer.Registry.Validation;

/// <summary>
/// A bad value already printed the way upstream's field.Error prints it (Go's <c>%#v</c>, a Stringer, <c>null</c>), so
/// <see cref="Flotilla.Api.Validation.FieldError"/> shows it unquoted.
/// </summary>
public sealed record GoValue(string Text)
{
    /// <summary>A nil pointer or interface: upstream prints <c>null</c>.</summary>
    public static GoValue Null { get; } = new("null");

    public override string ToString() => Text;
}
