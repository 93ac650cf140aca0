using System.Text;
using Flotilla.Api.Errors;
using Flotilla.Api.Serialization;
using Flotilla.Api.Validation;

namespace Flotilla.ApiServer.Validation;

/// <summary>
/// What create, update and patch do with <see cref="FieldValidator"/>'s findings, worded as kube-apiserver words it:
/// the directive from the query, the 400 under Strict and the <c>Warning</c> header values under Warn.
/// </summary>
public static class FieldValidation
{
    public const string QueryParameter = "fieldValidation";

    // metav1's allowed values, listed sorted as upstream's sets.String prints them.
    private static readonly string[] Supported = [string.Empty, "Ignore", "Strict", "Warn"];

    /// <summary>
    /// The directive of a request; absent or empty means Warn (ServerSideFieldValidation, GA in v1.27). Anything else
    /// fails as upstream's options validation does: 422 <c>CreateOptions.meta.k8s.io "" is invalid: fieldValidation: ...</c>.
    /// </summary>
    /// <param name="optionsKind"><c>CreateOptions</c>, <c>UpdateOptions</c> or <c>PatchOptions</c>.</param>
    public static FieldValidationDirective ParseDirective(string? value, string optionsKind) => value switch
    {
        null or "" or "Warn" => FieldValidationDirective.Warn,
        "Ignore" => FieldValidationDirective.Ignore,
        "Strict" => FieldValidationDirective.Strict,
        _ => throw StatusException.Invalid("meta.k8s.io", optionsKind, string.Empty, [FieldError.NotSupported(QueryParameter, value, Supported)]),
    };

    /// <summary>runtime.StrictDecodingError: <c>strict decoding error: unknown field "spec.foo", duplicate field "spec.bar"</c>.</summary>
    public static string StrictDecodingMessage(IReadOnlyList<StrictFieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return "strict decoding error: " + string.Join(", ", errors.Select(e => e.Message));
    }

    /// <summary>
    /// The 400 a create or update gets under Strict: <c>Deployment in version "v1" cannot be handled as a Deployment:
    /// strict decoding error: ...</c>, with the kind and version the body declared.
    /// </summary>
    public static StatusException CannotBeHandled(string kind, string version, IReadOnlyList<StrictFieldError> errors) =>
        StatusException.BadRequest($"{kind} in version {GoQuote.Quote(version)} cannot be handled as a {kind}: {StrictDecodingMessage(errors)}");

    /// <summary>
    /// Create and update: throws <see cref="CannotBeHandled"/> under Strict when anything was found; returns the
    /// <c>Warning</c> header values to add under Warn; nothing under Ignore.
    /// </summary>
    public static IReadOnlyList<string> Enforce(FieldValidationDirective directive, IReadOnlyList<StrictFieldError> errors, string kind, string version)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0 || directive == FieldValidationDirective.Ignore)
        {
            return [];
        }

        if (directive == FieldValidationDirective.Strict)
        {
            throw CannotBeHandled(kind, version, errors);
        }

        return [.. errors.Select(e => WarningHeader(e.Message))];
    }

    /// <summary>
    /// One <c>Warning</c> header value as k8s.io/apiserver writes it: <c>299 - "unknown field \"spec.foo\""</c>.
    /// Control and non-ASCII characters become <c>?</c> because Kestrel sends ASCII header values only.
    /// </summary>
    public static string WarningHeader(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = new StringBuilder("299 - \"", text.Length + 10);
        foreach (var c in text)
        {
            if (c is '"' or '\\')
            {
                value.Append('\\').Append(c);
            }
            else
            {
                value.Append(c is < ' ' or > '~' ? '?' : c);
            }
        }

        return value.Append('"').ToString();
    }
}
