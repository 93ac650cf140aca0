namespace Flotilla.Client.Informers;

/// <summary>A full list and the resourceVersion it was read at, from which a watch continues.</summary>
public sealed record ListResult<T>(IReadOnlyList<T> Items, string ResourceVersion);
