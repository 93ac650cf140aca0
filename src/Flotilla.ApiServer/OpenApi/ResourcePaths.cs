using System.Text.Json.Nodes;
using Flotilla.Api.Resources;
using Flotilla.ApiServer.Discovery;
using k8s.Models;

namespace Flotilla.ApiServer.OpenApi;

/// <summary>
/// The paths kube-apiserver documents for one resource, with its operation names: the collection (list, create,
/// delete collection), the object (read, replace, patch, delete), the all-namespaces list, the deprecated watch paths,
/// and the subresources. Every PATCH carries <c>fieldValidation</c> and the kind's <c>x-kubernetes-group-version-kind</c>.
/// </summary>
internal sealed class ResourcePaths(SchemaSet schemas)
{
    public void Add(JsonObject paths, ResourceInfo resource)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(resource);
        if (resource.Virtual && !resource.Verbs.Contains("create"))
        {
            // Computed kinds (metrics) come from the metrics server, which upstream describes apart.
            return;
        }

        var r = new ResourcePathNames(resource);
        var kindRef = schemas.Ref(resource.ModelType);

        if (resource.Virtual)
        {
            // Request-only kinds (access reviews) have a create operation and nothing else, as upstream's.
            paths[r.Collection] = new JsonObject
            {
                ["post"] = Operations.Create(
                    $"create {Article(resource.Kind)} {resource.Kind}", $"create{r.Gv}{r.Scope}{resource.Kind}", r.Tag, "post", (resource.Group, resource.Version, resource.Kind),
                    Operations.Responses(("200", "OK", kindRef), ("201", "Created", kindRef), ("202", "Accepted", kindRef)),
                    [OpenApiParameters.DryRun(), OpenApiParameters.FieldManager(patch: false), OpenApiParameters.FieldValidation()],
                    Operations.Body(kindRef)),
                ["parameters"] = Parameters([.. r.ScopeParameters(), OpenApiParameters.Pretty()]),
            };
            return;
        }

        var listRef = schemas.Ref(ListType(resource.ModelType));
        var gvk = (resource.Group, resource.Version, resource.Kind);
        var verbs = resource.Verbs;

        var collection = new JsonObject();
        if (verbs.Contains("deletecollection"))
        {
            collection["delete"] = Operations.Create(
                $"delete collection of {resource.Kind}", $"delete{r.Gv}Collection{r.Scope}{resource.Kind}", r.Tag, "deletecollection", gvk,
                Operations.Responses(("200", "OK", Status)),
                [.. OpenApiParameters.List(watch: false), .. OpenApiParameters.Delete()],
                Operations.Body(schemas.Ref(typeof(V1DeleteOptions)), required: false));
        }

        if (verbs.Contains("list"))
        {
            collection["get"] = Operations.Create(
                $"list or watch objects of kind {resource.Kind}", $"list{r.Gv}{r.Scope}{resource.Kind}", r.Tag, "list", gvk,
                Operations.StreamResponses(listRef), OpenApiParameters.List(watch: true));
        }

        collection["parameters"] = Parameters([.. r.ScopeParameters(), OpenApiParameters.Pretty()]);
        if (verbs.Contains("create"))
        {
            collection["post"] = Operations.Create(
                $"create {Article(resource.Kind)} {resource.Kind}", $"create{r.Gv}{r.Scope}{resource.Kind}", r.Tag, "post", gvk,
                Operations.Responses(("200", "OK", kindRef), ("201", "Created", kindRef), ("202", "Accepted", kindRef)),
                [OpenApiParameters.DryRun(), OpenApiParameters.FieldManager(patch: false), OpenApiParameters.FieldValidation()],
                Operations.Body(kindRef));
        }

        paths[r.Collection] = collection;
        paths[r.Item] = Item(resource, r, gvk, kindRef);

        if (resource.Namespaced && verbs.Contains("list"))
        {
            paths[$"{r.Prefix}/{resource.Plural}"] = new JsonObject
            {
                ["get"] = Operations.Create(
                    $"list or watch objects of kind {resource.Kind}", $"list{r.Gv}{resource.Kind}ForAllNamespaces", r.Tag, "list", gvk,
                    Operations.StreamResponses(listRef)),
                ["parameters"] = Parameters([.. OpenApiParameters.List(watch: true), OpenApiParameters.Pretty()]),
            };
        }

        if (verbs.Contains("watch"))
        {
            AddWatches(paths, resource, r, gvk);
        }

        // Connect-style subresources (log, proxy, exec, ...) stream rather than answer objects: no schema to describe.
        foreach (var subresource in resource.Subresources.Where(s => s is not ("log" or "proxy" or "exec" or "attach" or "portforward")))
        {
            paths[$"{r.Item}/{subresource}"] = Subresource(resource, r, subresource);
        }
    }

    private string Status => schemas.Ref(typeof(V1Status));

    private JsonObject Item(ResourceInfo resource, ResourcePathNames r, (string, string, string) gvk, string kindRef)
    {
        var verbs = resource.Verbs;
        var item = new JsonObject();
        if (verbs.Contains("delete"))
        {
            item["delete"] = Operations.Create(
                $"delete {Article(resource.Kind)} {resource.Kind}", $"delete{r.Gv}{r.Scope}{resource.Kind}", r.Tag, "delete", gvk,
                Operations.Responses(("200", "OK", Status), ("202", "Accepted", Status)),
                OpenApiParameters.Delete(), Operations.Body(schemas.Ref(typeof(V1DeleteOptions)), required: false));
        }

        if (verbs.Contains("get"))
        {
            item["get"] = Operations.Create(
                $"read the specified {resource.Kind}", $"read{r.Gv}{r.Scope}{resource.Kind}", r.Tag, "get", gvk,
                Operations.Responses(("200", "OK", kindRef)));
        }

        item["parameters"] = Parameters([OpenApiParameters.Name(resource.Kind), .. r.ScopeParameters(), OpenApiParameters.Pretty()]);
        if (verbs.Contains("patch"))
        {
            item["patch"] = Patch($"partially update the specified {resource.Kind}", $"patch{r.Gv}{r.Scope}{resource.Kind}", r.Tag, gvk, kindRef);
        }

        if (verbs.Contains("update"))
        {
            item["put"] = Put($"replace the specified {resource.Kind}", $"replace{r.Gv}{r.Scope}{resource.Kind}", r.Tag, gvk, kindRef);
        }

        return item;
    }

    private void AddWatches(JsonObject paths, ResourceInfo resource, ResourcePathNames r, (string, string, string) gvk)
    {
        var eventRef = schemas.Ref(typeof(V1WatchEvent));
        var scopePath = resource.Namespaced ? "/namespaces/{namespace}" : string.Empty;
        paths[$"{r.Prefix}/watch{scopePath}/{resource.Plural}"] = new JsonObject
        {
            ["get"] = Operations.Create(
                $"watch individual changes to a list of {resource.Kind}. deprecated: use the 'watch' parameter with a list operation instead.",
                $"watch{r.Gv}{r.Scope}{resource.Kind}List", r.Tag, "watchlist", gvk, Operations.StreamResponses(eventRef)),
            ["parameters"] = Parameters([.. OpenApiParameters.List(watch: true), .. r.ScopeParameters(), OpenApiParameters.Pretty()]),
        };
        paths[$"{r.Prefix}/watch{scopePath}/{resource.Plural}/{{name}}"] = new JsonObject
        {
            ["get"] = Operations.Create(
                $"watch changes to an object of kind {resource.Kind}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.",
                $"watch{r.Gv}{r.Scope}{resource.Kind}", r.Tag, "watch", gvk, Operations.StreamResponses(eventRef)),
            ["parameters"] = Parameters([.. OpenApiParameters.List(watch: true), OpenApiParameters.Name(resource.Kind), .. r.ScopeParameters(), OpenApiParameters.Pretty()]),
        };
        if (resource.Namespaced)
        {
            paths[$"{r.Prefix}/watch/{resource.Plural}"] = new JsonObject
            {
                ["get"] = Operations.Create(
                    $"watch individual changes to a list of {resource.Kind}. deprecated: use the 'watch' parameter with a list operation instead.",
                    $"watch{r.Gv}{resource.Kind}ListForAllNamespaces", r.Tag, "watchlist", gvk, Operations.StreamResponses(eventRef)),
                ["parameters"] = Parameters([.. OpenApiParameters.List(watch: true), OpenApiParameters.Pretty()]),
            };
        }
    }

    private JsonObject Subresource(ResourceInfo resource, ResourcePathNames r, string subresource)
    {
        var gvk = DiscoveryResources.ResponseKind(resource, subresource);
        var reference = schemas.Ref(SubresourceType(resource, subresource));
        var suffix = char.ToUpperInvariant(subresource[0]) + subresource[1..];
        var path = new JsonObject();
        var verbs = DiscoveryResources.Verbs(resource, subresource);
        if (verbs.Contains("get"))
        {
            path["get"] = Operations.Create(
                $"read {subresource} of the specified {resource.Kind}", $"read{r.Gv}{r.Scope}{resource.Kind}{suffix}", r.Tag, "get", gvk,
                Operations.Responses(("200", "OK", reference)));
        }

        path["parameters"] = Parameters([OpenApiParameters.Name(gvk.Kind), .. r.ScopeParameters(), OpenApiParameters.Pretty()]);
        if (verbs.Contains("patch"))
        {
            path["patch"] = Patch($"partially update {subresource} of the specified {resource.Kind}", $"patch{r.Gv}{r.Scope}{resource.Kind}{suffix}", r.Tag, gvk, reference);
        }

        if (verbs.Contains("create"))
        {
            path["post"] = Operations.Create(
                $"create {subresource} of {Article(resource.Kind)} {resource.Kind}", $"create{r.Gv}{r.Scope}{resource.Kind}{suffix}", r.Tag, "post", gvk,
                Operations.Responses(("200", "OK", reference), ("201", "Created", reference), ("202", "Accepted", reference)),
                [OpenApiParameters.DryRun(), OpenApiParameters.FieldManager(patch: false), OpenApiParameters.FieldValidation()],
                Operations.Body(reference));
        }

        if (verbs.Contains("update"))
        {
            path["put"] = Put($"replace {subresource} of the specified {resource.Kind}", $"replace{r.Gv}{r.Scope}{resource.Kind}{suffix}", r.Tag, gvk, reference);
        }

        return path;
    }

    private JsonObject Patch(string description, string operationId, string tag, (string, string, string) gvk, string reference) =>
        Operations.Create(
            description, operationId, tag, "patch", gvk,
            Operations.Responses(("200", "OK", reference), ("201", "Created", reference)),
            [OpenApiParameters.DryRun(), OpenApiParameters.FieldManager(patch: true), OpenApiParameters.FieldValidation(), OpenApiParameters.Force()],
            Operations.PatchBody(schemas.RefWellKnown(SchemaNames.Patch)));

    private static JsonObject Put(string description, string operationId, string tag, (string, string, string) gvk, string reference) =>
        Operations.Create(
            description, operationId, tag, "put", gvk,
            Operations.Responses(("200", "OK", reference), ("201", "Created", reference)),
            [OpenApiParameters.DryRun(), OpenApiParameters.FieldManager(patch: false), OpenApiParameters.FieldValidation()],
            Operations.Body(reference));

    private static JsonArray Parameters(JsonObject[] parameters) => new(parameters);

    private static string Article(string kind) => "aeiouAEIOU".Contains(kind[0], StringComparison.Ordinal) ? "an" : "a";

    private static Type SubresourceType(ResourceInfo resource, string subresource) => subresource switch
    {
        "scale" => typeof(V1Scale),
        "binding" => typeof(V1Binding),
        "token" => typeof(Authenticationv1TokenRequest),
        _ => resource.ModelType,
    };

    /// <summary>The list kind's model: <c>V1Pod</c> → <c>V1PodList</c>, <c>Corev1Event</c> → <c>Corev1EventList</c>.</summary>
    private static Type ListType(Type modelType) =>
        modelType.Assembly.GetType($"{modelType.FullName}List")
            ?? throw new InvalidOperationException($"{modelType.Name} has no list type in k8s.Models");
}
