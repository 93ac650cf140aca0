using System.Text.Json.Serialization;

namespace Flotilla.ApiServer.Endpoints;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(VersionInfo))]
internal sealed partial class VersionJsonContext : JsonSerializerContext;
