namespace Flotilla.Scheduler.Framework;

/// <summary>
/// Host ports in use on a node, by IP then (protocol, port) (upstream HostPortInfo). 0.0.0.0 conflicts with every IP.
/// </summary>
public sealed class HostPortInfo
{
    private const string AnyIp = "0.0.0.0";

    private readonly Dictionary<string, HashSet<(string Protocol, int Port)>> _byIp = new(StringComparer.Ordinal);

    public int Count => _byIp.Values.Sum(s => s.Count);

    public void Add(string? ip, string? protocol, int port)
    {
        if (port <= 0)
        {
            return;
        }

        var key = Normalize(ip);
        if (!_byIp.TryGetValue(key, out var ports))
        {
            _byIp[key] = ports = [];
        }

        ports.Add((protocol ?? "TCP", port));
    }

    public void Remove(string? ip, string? protocol, int port)
    {
        var key = Normalize(ip);
        if (_byIp.TryGetValue(key, out var ports) && ports.Remove((protocol ?? "TCP", port)) && ports.Count == 0)
        {
            _byIp.Remove(key);
        }
    }

    public bool Conflicts(string? ip, string? protocol, int port)
    {
        if (port <= 0)
        {
            return false;
        }

        var wanted = (protocol ?? "TCP", port);
        var key = Normalize(ip);
        return key == AnyIp
            ? _byIp.Values.Any(p => p.Contains(wanted))
            : (_byIp.TryGetValue(key, out var own) && own.Contains(wanted)) || (_byIp.TryGetValue(AnyIp, out var any) && any.Contains(wanted));
    }

    public HostPortInfo Clone()
    {
        var copy = new HostPortInfo();
        foreach (var (ip, ports) in _byIp)
        {
            copy._byIp[ip] = [.. ports];
        }

        return copy;
    }

    private static string Normalize(string? ip) => string.IsNullOrEmpty(ip) ? AnyIp : ip;
}
