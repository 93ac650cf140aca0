namespace Flotilla.Api.Validation;

/// <summary>
/// Upstream's ValidateNameFunc: the messages for what is wrong with <paramref name="name"/>, empty when valid.
/// <paramref name="prefix"/> is true for a generateName, which may end in '-' because a suffix is appended.
/// </summary>
public delegate IReadOnlyList<string> NameValidator(string name, bool prefix);
