namespace Flotilla.Proxy.Model;

/// <summary>
/// One backend of a service port, from an EndpointSlice: its address and port, its conditions (a missing
/// <c>ready</c> means ready, a missing <c>serving</c> means as ready, as discovery/v1 defines them) and whether it
/// runs on this proxy's node.
/// </summary>
public sealed record Endpoint(string Ip, int Port, bool Ready, bool Serving, bool Terminating, bool IsLocal)
{
    /// <summary><c>ip:port</c>: the DNAT target, the endpoint chain's hash input and the sort key.</summary>
    public override string ToString() => $"{Ip}:{Port}";
}
