using Flotilla.Api.Serialization;

namespace Flotilla.ApiServer.Validation;

/// <summary>
/// One strict decoding finding at a path (<c>spec.template.spec.containers[0].foo</c>), printed as
/// sigs.k8s.io/json prints it: <c>unknown field "spec.foo"</c>, <c>duplicate field "metadata.name"</c>.
/// </summary>
public sealed record StrictFieldError(StrictFieldErrorKind Kind, string Path)
{
    public string Message => $"{(Kind == StrictFieldErrorKind.Unknown ? "unknown" : "duplicate")} field {GoQuote.Quote(Path)}";

    public override string ToString() => Message;
}
