using System.Text.Json.Nodes;
using Flotilla.Api.Resources;

namespace Flotilla.ApiServer.OpenApi;

/// <summary>The path and operation-name parts of one resource.</summary>
internal sealed class ResourcePathNames(ResourceInfo resource)
{
    public string Prefix { get; } = resource.Group.Length == 0 ? $"/api/{resource.Version}" : $"/apis/{resource.Group}/{resource.Version}";

    public string Gv { get; } = OperationNames.GroupVersion(resource.Group, resource.Version);

    public string Tag { get; } = OperationNames.Tag(resource.Group, resource.Version);

    /// <summary><c>Namespaced</c> in operation names of namespaced resources.</summary>
    public string Scope { get; } = resource.Namespaced ? "Namespaced" : string.Empty;

    public string Collection => resource.Namespaced ? $"{Prefix}/namespaces/{{namespace}}/{resource.Plural}" : $"{Prefix}/{resource.Plural}";

    public string Item => Collection + "/{name}";

    /// <summary>The <c>namespace</c> path parameter of namespaced resources, as new nodes for each use.</summary>
    public JsonObject[] ScopeParameters() => resource.Namespaced ? [OpenApiParameters.Namespace()] : [];
}
