namespace Flotilla.ApiServer.Tests.Registry.Validation;

/// <summary>One row of a validation table: a named change to a valid object and the errors it must produce.</summary>
public sealed record Case<T>(string Name, Action<T> Break, params string[] Expected)
{
    public override string ToString() => Name;
}
