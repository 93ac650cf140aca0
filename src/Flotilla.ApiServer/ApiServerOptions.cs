using System.Net;

namespace Flotilla.ApiServer;

public sealed record ApiServerOptions
{
    /// <summary>Where the API listens. Plain HTTP is served on loopback only, until TLS lands (#4).</summary>
    public required IPEndPoint Listen { get; init; }
}
