using Flotilla.Api.Errors;
using Flotilla.Api.Resources;
using Flotilla.Api.Selectors;
using Flotilla.ApiServer.Http;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Handlers;

/// <summary>The objects a list or watch selects: its label and field selectors, parsed and checked once per request.</summary>
public sealed class Selection
{
    private readonly ResourceInfo _resource;
    private readonly LabelSelector _labels;
    private readonly FieldSelector _fields;

    private Selection(ResourceInfo resource, LabelSelector labels, FieldSelector fields)
    {
        _resource = resource;
        _labels = labels;
        _fields = fields;
    }

    public bool SelectsEverything => _labels.IsEmpty && _fields.IsEmpty;

    public static Selection FromQuery(ResourceInfo resource, QueryOptions query)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(query);
        var labelText = query["labelSelector"];
        var fieldText = query["fieldSelector"];
        if (!LabelSelector.TryParse(labelText, out var labels, out var labelError))
        {
            throw StatusException.BadRequest(labelError ?? "invalid label selector");
        }

        if (!FieldSelector.TryParse(fieldText, out var parsed, out var fieldError))
        {
            throw StatusException.BadRequest(fieldError ?? "invalid field selector");
        }

        if (!FieldSets.TryConvert(resource, parsed!, out var fields, out var conversionError))
        {
            throw StatusException.BadRequest(conversionError ?? "field selector not supported");
        }

        return new Selection(resource, labels!, fields!);
    }

    public bool Matches(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (!_labels.IsEmpty && !_labels.Matches(obj.Metadata.Labels as IReadOnlyDictionary<string, string> ?? ToReadOnly(obj.Metadata.Labels)))
        {
            return false;
        }

        return _fields.IsEmpty || _fields.Matches(FieldSets.For(_resource, obj));
    }

    public Func<IKubernetesObject<V1ObjectMeta>, bool>? AsFilter() => SelectsEverything ? null : Matches;

    private static IReadOnlyDictionary<string, string> ToReadOnly(IDictionary<string, string>? labels) =>
        labels is null ? new Dictionary<string, string>() : new Dictionary<string, string>(labels);
}
