using Flotilla.Api.Resources;
using Flotilla.ApiServer.Printing;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing;

public sealed class TablePrintersTests
{
    public static TheoryData<string, string> CatalogResources()
    {
        var data = new TheoryData<string, string>();
        foreach (var r in ResourceCatalog.Default.Resources.Where(r => r.StoredAs is null && !r.Virtual))
        {
            data.Add(r.Group, r.Plural);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CatalogResources))]
    public void For_EveryCatalogKind_PrintsItsModelType(string group, string plural)
    {
        var resource = ResourceCatalog.Default.Resources.Single(r => r.Group == group && r.Plural == plural && r.StoredAs is null && !r.Virtual);
        var printer = TablePrinters.For(group, plural);

        var printed = PrintedType(printer);
        Assert.True(printed is null || printed == resource.ModelType, $"{plural} printer prints {printed?.Name}");
    }

    [Theory]
    [MemberData(nameof(CatalogResources))]
    public void Cells_EmptyObject_OneCellPerColumnAndNameFirst(string group, string plural)
    {
        var resource = ResourceCatalog.Default.Resources.Single(r => r.Group == group && r.Plural == plural && r.StoredAs is null && !r.Virtual);
        var printer = TablePrinters.For(group, plural);
        var model = Activator.CreateInstance(resource.ModelType)!;
        resource.ModelType.GetProperty("Metadata")!.SetValue(model, new V1ObjectMeta { Name = "x" });

        var cells = printer.Cells(model, Clock.Now);

        Assert.Equal(printer.Columns.Count, cells.Count);
        Assert.All(cells, c => Assert.True(c is string or long or bool, $"{plural}: cell {c} is {c?.GetType().Name}"));
        var name = printer.Columns.Single(c => c.Format == "name");
        Assert.Equal("Name", name.Name);
        Assert.Equal("x", cells[printer.Columns.ToList().IndexOf(name)]);
    }

    [Theory]
    [InlineData("rbac.authorization.k8s.io", "roles")]
    [InlineData("rbac.authorization.k8s.io", "clusterroles")]
    [InlineData("", "limitranges")]
    [InlineData("example.com", "widgets")]
    public void For_KindWithoutPrinter_IsDefaultTable(string group, string plural) =>
        Assert.Same(DefaultTablePrinter.Instance, TablePrinters.For(group, plural));

    [Fact]
    public void DefaultTablePrinter_Role_NameAndCreatedAtInUtc()
    {
        var role = new V1Role { Metadata = new V1ObjectMeta { Name = "reader", CreationTimestamp = new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc) } };
        var printer = DefaultTablePrinter.Instance;

        Assert.Equal(["Name", "Created At"], printer.Columns.Select(c => c.Name));
        Assert.Equal(["string", "date"], printer.Columns.Select(c => c.Type));
        Assert.Equal(["reader", "2024-05-06T07:08:09Z"], printer.Cells(role, Clock.Now));
        Assert.Equal(["", "0001-01-01T00:00:00Z"], printer.Cells(new V1LimitRange(), Clock.Now));
    }

    [Fact]
    public void Cells_WrongModelType_Throws() =>
        Assert.Throws<ArgumentException>(() => TablePrinters.For("", "pods").Cells(new V1Node(), Clock.Now));

    private static Type? PrintedType(ITablePrinter printer)
    {
        for (var t = printer.GetType(); t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(TablePrinter<>))
            {
                return t.GetGenericArguments()[0];
            }
        }

        return null;
    }
}
