using System.Globalization;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Printing;

/// <summary>
/// apiserver's default table convertor, used for kinds without a printer (roles, limit ranges, ...):
/// NAME and CREATED AT, the creation time in UTC RFC 3339.
/// </summary>
public sealed class DefaultTablePrinter : ITablePrinter
{
    public static DefaultTablePrinter Instance { get; } = new();

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        new("Created At", "date", "", CommonColumns.CreationTimestampDescription, 0),
    ];

    public IReadOnlyList<object?> Cells(object model, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model is not IMetadata<V1ObjectMeta> item)
        {
            throw new ArgumentException($"{model.GetType().Name} has no object metadata to print", nameof(model));
        }

        // Go's zero time when unset: "0001-01-01T00:00:00Z".
        var created = item.Metadata?.CreationTimestamp is { } t ? Timestamps.ToOffset(t).UtcDateTime : DateTime.MinValue;
        return [item.Metadata?.Name ?? "", created.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)];
    }
}
