namespace Flotilla.ApiServer.Printing;

/// <summary>A printer for one model type; rejects any other.</summary>
public abstract class TablePrinter<T> : ITablePrinter
    where T : class
{
    public abstract IReadOnlyList<TableColumn> Columns { get; }

    public IReadOnlyList<object?> Cells(object model, DateTimeOffset now) => model switch
    {
        T typed => Row(typed, now),
        null => throw new ArgumentNullException(nameof(model)),
        _ => throw new ArgumentException($"{GetType().Name} prints {typeof(T).Name}, not {model.GetType().Name}", nameof(model)),
    };

    protected abstract IReadOnlyList<object?> Row(T model, DateTimeOffset now);
}
