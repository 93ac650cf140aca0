namespace Flotilla.Api.Selectors;

/// <summary>
/// One kind's field selector support, as two upstream pieces: the field label conversion function (which
/// labels a request may use, their aliases, and the error for any other) and the strategy's selectable fields
/// beyond metadata (<paramref name="AddFields"/>, given the typed object).
/// </summary>
internal sealed record KindFieldSelectors(
    IReadOnlySet<string> Labels,
    IReadOnlyDictionary<string, string> Aliases,
    Func<string, string> NotSupported,
    Action<object, Dictionary<string, string>>? AddFields);
