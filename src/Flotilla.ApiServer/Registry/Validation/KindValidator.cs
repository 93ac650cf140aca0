using Flotilla.Api.Validation;

namespace Flotilla.ApiServer.Registry.Validation;

/// <summary>
/// One kind's validation beyond metadata: <see cref="Validate"/> for a create, <see cref="ValidateUpdate"/>
/// (new, old) for an update. As upstream's ValidateXUpdate, the update check already includes the new object's
/// spec checks, so a strategy calls one or the other, never both.
/// </summary>
public sealed record KindValidator(
    Func<object, IReadOnlyList<FieldError>> Validate,
    Func<object, object, IReadOnlyList<FieldError>> ValidateUpdate)
{
    /// <summary>For kinds without rules of their own.</summary>
    public static KindValidator None { get; } = new(_ => [], (_, _) => []);
}
