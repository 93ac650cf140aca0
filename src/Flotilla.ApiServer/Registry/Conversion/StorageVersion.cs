namespace Flotilla.ApiServer.Registry.Conversion;

/// <summary>How a served version is stored: the storage version's strategy (its encoding) and the converter to it.</summary>
public sealed record StorageVersion(IObjectStrategy Strategy, IVersionConverter Converter);
