using Flotilla.ApiServer.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.ApiServer.Tests.Audit;

public sealed partial class AuditContextTests
{
    [System.Text.RegularExpressions.GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")]
    private static partial System.Text.RegularExpressions.Regex UuidV4();

    [Fact]
    public void NewId_RandomVersion4Uuids_NeverRepeated()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => AuditContext.NewId()).ToList();

        Assert.All(ids, id => Assert.Matches(UuidV4(), id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Init_EchoesTheIdInTheResponse_KeepsTheClientsOwn()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var generated = new DefaultHttpContext();
        var fromClient = new DefaultHttpContext();
        fromClient.Request.Headers[AuditContext.AuditIdHeader] = "trace-42";

        var audit = AuditContext.Init(generated, time);
        Assert.Same(audit, AuditContext.Of(generated));
        Assert.Equal(audit.Id, generated.Response.Headers[AuditContext.AuditIdHeader].ToString());
        Assert.Equal(time.GetUtcNow(), audit.ReceivedAt);
        Assert.Null(audit.Event);
        Assert.Equal("trace-42", AuditContext.Init(fromClient, time).Id);
        Assert.Equal("trace-42", fromClient.Response.Headers[AuditContext.AuditIdHeader].ToString());
    }
}
