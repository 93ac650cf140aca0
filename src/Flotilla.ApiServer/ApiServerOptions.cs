using System.Net;

namespace Flotilla.ApiServer;

public sealed record ApiServerOptions
{
    /// <summary>Where the API listens.</summary>
    public required IPEndPoint Listen { get; init; }

    /// <summary>HTTPS with client-certificate authentication (what <c>flotilla</c> always serves); null serves plain
    /// HTTP without authentication, for in-process tests and benchmarks only.</summary>
    public Auth.ApiServerTls? Tls { get; init; }

    /// <summary>Bearer tokens accepted beside client certificates (with <see cref="Tls"/>) and the ServiceAccount token issuer.</summary>
    public Auth.AuthenticationOptions Authentication { get; init; } = new();
}
