using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>resourcequotas: NAME REQUEST LIMIT AGE, each "resource: used/hard", "limits.*" in LIMIT.</summary>
public sealed class ResourceQuotaPrinter : TablePrinter<V1ResourceQuota>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        TableColumn.String("Request", "Request represents a minimum amount of cpu/memory that a container may consume."),
        TableColumn.String("Limit", "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node."),
        CommonColumns.Age,
    ];

    protected override IReadOnlyList<object?> Row(V1ResourceQuota model, DateTimeOffset now)
    {
        var hard = model.Status?.Hard ?? new Dictionary<string, ResourceQuantity>();
        var requests = new List<string>();
        var limits = new List<string>();
        foreach (var resource in hard.Keys.Order(StringComparer.Ordinal))
        {
            var pieces = resource.Split('.');
            var column = pieces.Length > 1 && pieces[0] == "limits" ? limits : requests;
            column.Add($"{resource}: {Quantities.Of(model.Status?.Used, resource)}/{Quantities.Of(hard, resource)}");
        }

        return [Meta.Name(model.Metadata), string.Join(", ", requests), string.Join(", ", limits), Meta.Age(model.Metadata, now)];
    }
}
