namespace Flotilla.Scheduler.Framework;

/// <summary>Why each node was rejected in a cycle; nodes not listed were rejected with <see cref="AbsentStatus"/>.</summary>
public sealed class NodeToStatus
{
    private readonly Dictionary<string, Status> _statuses = new(StringComparer.Ordinal);

    /// <summary>For nodes a PreFilter result excluded: unresolvable, as upstream.</summary>
    public Status AbsentStatus { get; set; } = Status.Unresolvable("node(s) didn't satisfy plugin(s) []");

    public int Count => _statuses.Count;

    public IReadOnlyDictionary<string, Status> Statuses => _statuses;

    public void Set(string node, Status status)
    {
        lock (_statuses)
        {
            _statuses[node] = status;
        }
    }

    public Status Get(string node) => _statuses.GetValueOrDefault(node) ?? AbsentStatus;
}
