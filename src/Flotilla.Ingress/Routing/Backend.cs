namespace Flotilla.Ingress.Routing;

/// <summary>
/// A Service port as an Ingress names it, resolved to its ready endpoints (<c>ip:port</c>); none means 503. Requests
/// take the endpoints in turn.
/// </summary>
public sealed class Backend(string name, IReadOnlyList<string> endpoints)
{
    private int _next = -1;

    /// <summary><c>namespace/service:port</c>, for logs.</summary>
    public string Name { get; } = name;

    public IReadOnlyList<string> Endpoints { get; } = endpoints;

    /// <summary>The next endpoint in turn; call only when there is one.</summary>
    public string Next() => Endpoints[(int)((uint)Interlocked.Increment(ref _next) % (uint)Endpoints.Count)];
}
