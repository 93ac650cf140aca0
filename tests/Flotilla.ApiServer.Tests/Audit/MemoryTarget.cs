using System.Text;
using System.Text.Json.Nodes;
using Flotilla.ApiServer.Audit;

namespace Flotilla.ApiServer.Tests.Audit;

/// <summary>An audit log target that keeps the lines it is given, and can be made to fail.</summary>
public sealed class MemoryTarget : IAuditLogTarget
{
    private readonly List<string> _lines = [];

    public bool Fail { get; set; }

    public int Flushes { get; private set; }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public IReadOnlyList<JsonObject> Events => [.. Lines.Select(l => JsonNode.Parse(l)!.AsObject())];

    public void Write(ReadOnlySpan<byte> line)
    {
        if (Fail)
        {
            throw new IOException("disk full");
        }

        lock (_lines)
        {
            _lines.Add(Encoding.UTF8.GetString(line));
        }
    }

    public void Flush() => Flushes++;

    public void Dispose()
    {
    }
}
