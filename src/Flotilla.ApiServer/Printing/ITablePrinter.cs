namespace Flotilla.ApiServer.Printing;

/// <summary>
/// The columns and the cells of one kind's rows in a <c>kubectl get</c> Table. Cells are strings, longs and
/// bools, one per column including the priority-1 ones, as kube-apiserver emits them (it always prints wide).
/// </summary>
public interface ITablePrinter
{
    IReadOnlyList<TableColumn> Columns { get; }

    /// <summary>The row for <paramref name="model"/>; ages are measured against <paramref name="now"/>.</summary>
    IReadOnlyList<object?> Cells(object model, DateTimeOffset now);
}
