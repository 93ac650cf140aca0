using System.Text.Json.Nodes;
using Flotilla.ApiServer.Audit;

namespace Flotilla.ApiServer.Tests.Integration;

/// <summary>
/// The HTTPS API server with its audit log on, in the fixture's data dir, at the most revealing level
/// (RequestResponse for everything, every stage) — what the tests check secrets never leak through.
/// </summary>
public sealed class AuditApiServerFixture : SecureApiServerFixture
{
    public string AuditLogPath => Path.Combine(DataDir, "audit.log");

    protected override ApiServerOptions Configure(ApiServerOptions options) => options with
    {
        AuditLogPath = AuditLogPath,
        AuditPolicy = new AuditPolicy { Rules = [new() { Level = AuditLevel.RequestResponse }] },

        // Short, so a test of a client that never finishes its headers ends quickly.
        RequestHeadersTimeout = TimeSpan.FromSeconds(2),
    };

    /// <summary>The log's events (read fresh, as the background writer flushes them; a line still being written is left for later).</summary>
    public IReadOnlyList<JsonObject> Events()
    {
        if (!File.Exists(AuditLogPath))
        {
            return [];
        }

        var text = ReadShared(AuditLogPath);
        var complete = text[..(text.LastIndexOf('\n') + 1)];
        return [.. complete.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject())];
    }

    /// <summary>The events with this audit ID, once there are at least <paramref name="count"/> (polled, 10 s at most).</summary>
    public async Task<IReadOnlyList<JsonObject>> EventsForAsync(string auditId, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var events = Events().Where(e => (string?)e["auditID"] == auditId).ToList();
            if (events.Count >= count)
            {
                return events;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{events.Count} of {count} audit events for {auditId} within 10 s");
            await Task.Delay(20);
        }
    }

    public static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
