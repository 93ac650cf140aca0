using System.Diagnostics.CodeAnalysis;
using Flotilla.Api.Resources;
using k8s;
using k8s.Models;

namespace Flotilla.Api.Selectors;

/// <summary>
/// What a field selector can see of each kind, as kube-apiserver v1.32: the labels a request may use
/// (<see cref="Supported"/>, <see cref="TryConvert"/>) and an object's values for them (<see cref="For"/>).
/// </summary>
public static class FieldSets
{
    /// <summary>
    /// The labels the kind's field selectors may use, aliases included (pods accept <c>spec.host</c> for
    /// <c>spec.nodeName</c>). Kinds with no list of their own accept metadata.name and metadata.namespace.
    /// </summary>
    public static IReadOnlySet<string> Supported(ResourceInfo resource) => Of(resource).Labels;

    /// <summary>
    /// Upstream's field label conversion over a whole selector: aliases become their canonical label, and the
    /// first unsupported label fails with the message kube-apiserver returns as 400 Bad Request
    /// (<c>field label not supported: foo</c>, or for kinds without a list of their own
    /// <c>"foo" is not a known field selector: only "metadata.name", "metadata.namespace"</c>).
    /// </summary>
    public static bool TryConvert(
        ResourceInfo resource,
        FieldSelector selector,
        [NotNullWhen(true)] out FieldSelector? converted,
        [NotNullWhen(false)] out string? error)
    {
        var kind = Of(resource);
        var requirements = new List<FieldRequirement>(selector.Requirements.Count);
        foreach (var requirement in selector.Requirements)
        {
            if (!kind.Labels.Contains(requirement.Field))
            {
                converted = null;
                error = kind.NotSupported(requirement.Field);
                return false;
            }

            requirements.Add(kind.Aliases.TryGetValue(requirement.Field, out var canonical)
                ? requirement with { Field = canonical }
                : requirement);
        }

        converted = new FieldSelector(requirements);
        error = null;
        return true;
    }

    /// <summary>
    /// The object's selectable fields: metadata.name, metadata.namespace for namespaced kinds, and the kind's
    /// own (bools as <c>true</c>/<c>false</c>, numbers in decimal, absent strings empty).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="model"/> is not the resource's model type.</exception>
    public static IReadOnlyDictionary<string, string> For(ResourceInfo resource, object model)
    {
        if (!resource.ModelType.IsInstanceOfType(model))
        {
            throw new ArgumentException($"expected a {resource.ModelType.Name}, got {model.GetType().Name}", nameof(model));
        }

        var metadata = (model as IMetadata<V1ObjectMeta>)?.Metadata;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["metadata.name"] = metadata?.Name ?? string.Empty,
        };
        if (resource.Namespaced)
        {
            fields["metadata.namespace"] = metadata?.NamespaceProperty ?? string.Empty;
        }

        Of(resource).AddFields?.Invoke(model, fields);
        return fields;
    }

    private static KindFieldSelectors Of(ResourceInfo resource) =>
        FieldSetCatalog.ByKind.GetValueOrDefault((resource.Group, resource.Kind), FieldSetCatalog.Default);
}
